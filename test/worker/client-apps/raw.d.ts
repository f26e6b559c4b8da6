// Vite imports a file as text with `?raw` (client.test.ts reads the generated schema's header).
declare module "*?raw" {
  const text: string;
  export default text;
}
