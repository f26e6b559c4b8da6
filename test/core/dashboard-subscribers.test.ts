// The dashboard hub's subscription rules, with plain objects for sockets: a message reaches
// every socket on its stream once; a socket waiting for its initial state keeps what arrives
// meanwhile and then hears only what that state did not show, in order.
import { describe, expect, it } from "vitest";
import { Subscribers, type Send } from "../../worker/dashboard/subscribers.ts";

type FakeSocket = { name: string; got: string[]; open: boolean };
const socket = (name: string): FakeSocket => ({ name, got: [], open: true });
const send: Send<FakeSocket> = (s, text) => {
  if (s.open) s.got.push(text);
  return s.open;
};

describe("dashboard subscribers", () => {
  it("send a message to the sockets on its stream only", () => {
    const subs = new Subscribers<FakeSocket>();
    const [all, agentsOnly] = [socket("all"), socket("agents")];
    subs.add(all, { streams: ["metrics", "calls", "agents"], hours: 24 }, true);
    subs.add(agentsOnly, { streams: ["agents"], hours: 24 }, true);
    subs.publish("calls", 1, "call", send);
    subs.publish("agents", 2, "agents", send);
    expect(all.got).toEqual(["call", "agents"]);
    expect(agentsOnly.got).toEqual(["agents"]);
  });

  it("send metrics to the sockets of that period only, and list the periods once each", () => {
    const subs = new Subscribers<FakeSocket>();
    const [day, week, alsoDay] = [socket("day"), socket("week"), socket("day2")];
    subs.add(day, { streams: ["metrics"], hours: 24 }, true);
    subs.add(week, { streams: ["metrics"], hours: 168 }, true);
    subs.add(alsoDay, { streams: ["metrics", "calls"], hours: 24 }, true);
    expect([...subs.periods("metrics")].sort((a, b) => a - b)).toEqual([24, 168]);
    subs.publish("metrics", 1, "day figures", send, 24);
    expect([day.got, week.got, alsoDay.got]).toEqual([["day figures"], [], ["day figures"]]);
  });

  it("hold what comes before the initial state, then send only what it does not show, in order", () => {
    const subs = new Subscribers<FakeSocket>();
    const s = socket("new");
    subs.add(s, { streams: ["calls"], hours: 24 });
    subs.publish("calls", 9, "older than the state", send);
    subs.publish("calls", 13, "newer", send);
    subs.publish("calls", 14, "newest", send);
    expect(s.got).toEqual([]);
    s.got.push("initial state as of 12");
    subs.live(s, 12, send);
    subs.publish("calls", 15, "after", send);
    expect(s.got).toEqual(["initial state as of 12", "newer", "newest", "after"]);
  });

  it("skip a publication that was in flight when the initial state was taken", () => {
    const subs = new Subscribers<FakeSocket>();
    const s = socket("new");
    subs.add(s, { streams: ["calls"], hours: 24 });
    s.got.push("initial state as of 12");
    subs.live(s, 12, send);
    subs.publish("calls", 12, "shown in the state already", send);
    subs.publish("calls", 13, "after", send);
    expect(s.got).toEqual(["initial state as of 12", "after"]);
  });

  it("follow a socket's new streams and forget closed sockets", () => {
    const subs = new Subscribers<FakeSocket>();
    const s = socket("s");
    subs.add(s, { streams: ["calls"], hours: 24 }, true);
    expect(subs.hears("metrics")).toBe(false);
    expect(subs.setStreams(s, ["metrics"])).toBe(true);
    expect(subs.hears("metrics")).toBe(true);
    subs.publish("calls", 1, "call", send);
    expect(s.got).toEqual([]);
    s.open = false;
    subs.publish("metrics", 2, "figures", send);
    expect(subs.size).toBe(0);
    expect(subs.setStreams(s, ["calls"])).toBe(false);
    const other = socket("other");
    subs.add(other, { streams: ["calls"], hours: 24 }, true);
    subs.retain((x) => x !== other);
    expect(subs.has(other)).toBe(false);
  });
});
