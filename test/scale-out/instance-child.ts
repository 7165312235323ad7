/**
 * One server instance in a process of its own, so the multi-instance test can kill it (SIGKILL)
 * mid-pull as a crash would. Started with fork() by that test only: its settings arrive as JSON in
 * DCS_TEST_INSTANCE (code-only ones such as sessionLockLeaseMs too), its URL goes back over IPC.
 * Run any other way (the test runner may load every file under test/), it does nothing.
 */
import { startServer } from '../../server/server';

const settings = process.env.DCS_TEST_INSTANCE;
const send = process.send?.bind(process);
if (settings !== undefined && send !== undefined) {
  const config = JSON.parse(settings) as Parameters<typeof startServer>[0];
  startServer(config).then(
    (server) => send({ url: server.url }),
    (error: unknown) => {
      send({ error: error instanceof Error ? error.message : String(error) });
      process.exitCode = 1;
      process.disconnect();
    },
  );
}
