// @ts-check
// `verifyid/merkle`: the RFC 6962 / RFC 9162 Merkle tree of the audit log, as plain ESM with
// JSDoc types, so that Node, workerd and browsers run it unbuilt and auditors can check
// receipts offline with exactly the code the log uses.
export { checkpointBody, parseCheckpointBody } from "./checkpoint.js";
export { fromHex, toHex } from "./encoding.js";
export { leafHash, nodeHash } from "./hash.js";
export { RECEIPT_VERSION, verifyReceipt } from "./receipt.js";
export { consistencyProof, inclusionProof, nodesCompletedBy, rootAt } from "./tree.js";
export { verifyConsistency, verifyInclusion } from "./verify.js";
