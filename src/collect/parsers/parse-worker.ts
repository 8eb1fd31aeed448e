// A parse worker: gunzips, splits and parses the CloudTrail files the main thread streams to it (chunks
// copied off the bytes being hashed and written), under the same limits as the in-thread reader, and answers
// each file with its tally and problems. Files are independent; a file's chunks are handled in order.
import { parentPort } from 'node:worker_threads';
import { acceptCloudTrailRecord, JsonRecordStreamReader } from './stream-reader.js';
import { emptyTally, tallyRecord } from './trail-tally.js';
import type { ToWorker, FromWorker } from './parse-pool.js';

interface OpenFile {
  reader: JsonRecordStreamReader;
  tally: ReturnType<typeof emptyTally>;
  queue: Promise<void>;
}

const port = parentPort!;
const files = new Map<number, OpenFile>();
const send = (message: FromWorker): void => port.postMessage(message);

function open(message: Extract<ToWorker, { t: 'open' }>): void {
  const window = { start: new Date(message.window[0]), end: new Date(message.window[1]) };
  const tally = emptyTally();
  const reader = new JsonRecordStreamReader(
    message.limits,
    (record) => {
      tallyRecord(tally, record, window, message.filter);
      return undefined;
    },
    acceptCloudTrailRecord,
  );
  files.set(message.id, { reader, tally, queue: Promise.resolve() });
}

function then(id: number, step: (file: OpenFile) => Promise<void> | void): void {
  const file = files.get(id);
  if (!file) return;
  file.queue = file.queue
    .then(() => step(file))
    .catch((error: unknown) => {
      files.delete(id);
      file.reader.abort();
      send({ t: 'failed', id, message: error instanceof Error ? error.message : String(error) });
    });
}

port.on('message', (message: ToWorker) => {
  switch (message.t) {
    case 'open':
      open(message);
      break;
    case 'chunk':
      then(message.id, async (file) => {
        await file.reader.write(Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength));
        send({ t: 'ack', id: message.id, bytes: message.bytes.byteLength });
      });
      break;
    case 'end':
      then(message.id, async (file) => {
        await file.reader.end();
        files.delete(message.id);
        send({ t: 'done', id: message.id, result: file.reader.result, tally: file.tally });
      });
      break;
    case 'abort':
      files.get(message.id)?.reader.abort();
      files.delete(message.id);
      break;
  }
});
