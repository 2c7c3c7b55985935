import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

/** GitHub caps webhook payloads at 25 MB; nothing larger can be a real delivery. */
export const MAX_WEBHOOK_BODY_BYTES = 25 * 1024 * 1024;

export type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => unknown;

/**
 * The bot's HTTP server: every request's body is read here first, whatever the route, and refused
 * with 413 as soon as it is known to pass the cap (a declared `content-length`, or the bytes counted
 * while streaming a chunked body), before the rest is read, buffered or hashed. A body within the
 * cap is handed to Probot's middleware already read (`rawBody`, which @octokit/webhooks uses
 * instead of reading the stream again), so the signature is checked on exactly those bytes.
 */
export function createBotServer(middleware: NodeMiddleware, options: { maxBodyBytes?: number } = {}): Server {
  const cap = options.maxBodyBytes ?? MAX_WEBHOOK_BODY_BYTES;
  return createServer((req, res) => {
    void readCappedBody(req, cap).then(
      (body) => {
        if (body === "too-large") return refuseTooLarge(req, res, cap);
        if (req.method === "GET" && req.url === "/healthz") {
          res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
          return;
        }
        Object.assign(req, { body: {}, rawBody: body });
        void middleware(req, res, () => res.writeHead(404, { "content-type": "text/plain" }).end("not found\n"));
      },
      () => req.socket.destroy(),
    );
  });
}

/** The whole body, or "too-large" as soon as it passes `cap` bytes (nothing more is read). */
export function readCappedBody(req: IncomingMessage, cap: number): Promise<Buffer | "too-large"> {
  const declared = req.headers["content-length"];
  if (declared !== undefined && !(Number(declared) <= cap)) return Promise.resolve("too-large");
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) {
        req.off("data", onData).off("end", onEnd);
        req.pause();
        chunks.length = 0;
        resolve("too-large");
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => resolve(Buffer.concat(chunks, size));
    req.on("data", onData).on("end", onEnd).on("error", reject);
  });
}

function refuseTooLarge(req: IncomingMessage, res: ServerResponse, cap: number): void {
  req.pause();
  // The connection is closed once the answer is out, so the unread rest is never taken in.
  res.shouldKeepAlive = false;
  res.once("finish", () => req.socket.destroySoon());
  res.writeHead(413, { "content-type": "text/plain", connection: "close" }).end(`request body over ${cap} bytes (GitHub sends at most 25 MB); refused unread\n`);
}
