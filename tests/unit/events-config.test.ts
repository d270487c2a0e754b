import { createServer } from 'node:net';
import { StartupError } from '../../platform/config';
import { connectNats } from '../../subgraphs/kit/events/nats';

test('a NATS_URL nobody answers stops the start with one line naming NATS_URL', async () => {
  // A port that was free a moment ago: nothing listens there.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  const error = await connectNats(`nats://127.0.0.1:${port}`).catch((e) => e);
  expect(error).toBeInstanceOf(StartupError);
  expect(error.message).toMatch(new RegExp(`^NATS_URL: cannot connect to nats://127.0.0.1:${port}`));
  expect(error.message).not.toContain('\n');
});
