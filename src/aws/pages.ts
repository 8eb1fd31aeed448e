// Following a next-page token: one helper for every paginated read that streams its pages.

/**
 * Every page of a paginated result: stops when there is no next token, and when a token repeats (a service,
 * or something posing as one, that loops would otherwise keep the reader reading forever).
 */
export async function* pages<P>(read: (token: string | undefined) => Promise<P>, nextOf: (page: P) => string | undefined): AsyncGenerator<P> {
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const page = await read(token);
    yield page;
    token = nextOf(page);
    if (token !== undefined && seen.has(token)) return;
    if (token !== undefined) seen.add(token);
  } while (token !== undefined);
}
