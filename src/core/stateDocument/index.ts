// The state document module: a lenient reader, a lossless writer, and the restart edit.
export { parseStateDocument } from "./parseStateDocument.js";
export { writeStateDocument } from "./writeStateDocument.js";
export { applyRestart, type ApplyRestartResult } from "./applyRestart.js";
export { renderRestartLog } from "./renderRestartLog.js";
export type {
  LineEnding,
  MissingDependency,
  OpenBlock,
  PausedModel,
  RestartLog,
  RestartUpdate,
  Section,
  SourceLine,
  SourceText,
  StateDocument,
  StatusLine,
} from "./types.js";
