#!/usr/bin/env node
import { main } from './main.js';

// `forensight checks | head`: the reader closed the pipe. Stop quietly with the code a shell gives a command
// ended by SIGPIPE (128 + 13), instead of an unhandled EPIPE stack trace.
const EXIT_PIPE_CLOSED = 141;
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT_PIPE_CLOSED);
    throw error;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 3;
  },
);
