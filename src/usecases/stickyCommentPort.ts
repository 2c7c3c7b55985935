/**
 * The one comment the tool keeps on a pull request. Adapters find it by a hidden marker and by
 * authorship (never a human's comment that happens to hold the marker).
 */
export interface StickyCommentPort {
  /**
   * Writes `body` into the tool's comment: edits it when the text differs, leaves it when equal,
   * creates it when missing (only if `createIfMissing`).
   */
  upsert(body: string, options: { createIfMissing: boolean }): Promise<StickyCommentResult>;
}

export interface StickyCommentResult {
  /** `absent`: no comment and none created; `forbidden`: the token may not write (reported, not fatal). */
  action: "created" | "updated" | "unchanged" | "absent" | "forbidden";
  id: number | null;
  url: string | null;
  /** Why, for `forbidden`. */
  message?: string;
}
