import { describe, expect, it } from "vitest";
import { createDeliveryMemory } from "../../src/bot/deliveryMemory.js";

describe("deliveryMemory", () => {
  it("sees an id once, forgets the oldest past its capacity, and forgets on request", () => {
    const memory = createDeliveryMemory(2);
    expect(memory.firstSight("a")).toBe(true);
    expect(memory.firstSight("a")).toBe(false);
    memory.firstSight("b");
    memory.firstSight("c");
    expect(memory.firstSight("a")).toBe(true);
    memory.forget("a");
    expect(memory.firstSight("a")).toBe(true);
  });
});
