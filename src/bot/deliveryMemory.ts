/**
 * The webhook deliveries this process has seen, by `X-GitHub-Delivery` id, so a duplicate (GitHub
 * retrying, a proxy repeating) is handled once. In memory and bounded (oldest forgotten first): it
 * covers one process; several replicas behind a load balancer would need a shared store.
 */
export interface DeliveryMemory {
  /** True the first time an id is seen, false after. */
  firstSight(id: string): boolean;
  /** Forgets an id whose handling failed, so a redelivery from GitHub's UI is handled again. */
  forget(id: string): void;
}

export function createDeliveryMemory(capacity: number): DeliveryMemory {
  // A Map iterates in insertion order: its first key is the oldest.
  const seen = new Map<string, true>();
  return {
    firstSight(id) {
      if (seen.has(id)) return false;
      seen.set(id, true);
      if (seen.size > capacity) seen.delete(seen.keys().next().value!);
      return true;
    },
    forget(id) {
      seen.delete(id);
    },
  };
}
