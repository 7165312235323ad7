/**
 * `npm start`: read the configuration from the environment (and .env), start the server and
 * say where everything is. A bad configuration exits with code 2 and a message naming the
 * variable; Ctrl+C stops cleanly, signing every session out of DCS.
 */
import { ConfigError, loadConfig, type ServerConfig } from './config';
import { startServer, type StartedServer } from './server';
import { DEMO_ACCOUNTS } from 'dcs-simulator';

const EXIT_BAD_CONFIG = 2;

async function main(): Promise<void> {
  let config: ServerConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\nSee the Configuration section of docs/operating.md for every variable.\n`);
      process.exit(EXIT_BAD_CONFIG);
    }
    throw error;
  }

  let server: StartedServer;
  try {
    server = await startServer(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(EXIT_BAD_CONFIG);
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      process.stderr.write(`Port ${config.port} is already in use: stop the other program or set PORT to a free port.\n`);
      process.exit(1);
    }
    throw error;
  }
  process.stdout.write(banner(server));

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) process.exit(130);
    stopping = true;
    process.stdout.write(`\n${signal}: signing sessions out of DCS and stopping...\n`);
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

function banner(server: StartedServer): string {
  const { config } = server;
  const base = publicBase(server);
  const lines = [
    '',
    `DCS for Excel server is running at ${base}/`,
    `  API           ${base}/api/health`,
    `  Task pane     ${base}/taskpane.html`,
    `  Manifest      ${base}/manifest.xml`,
    `  OData feed    ${base}/odata/`,
    '',
  ];
  if (server.simulator) {
    lines.push(`No DCS_URL set: started the embedded DCS simulator at ${server.dcsUrl} (demo data).`);
    lines.push('Demo accounts (user / password / role):');
    for (const account of DEMO_ACCOUNTS) {
      lines.push(`  ${account.username} / ${account.password} / ${account.role}${account.description ? `  (${account.description})` : ''}`);
    }
    lines.push(`Public access without sign-in: ${config.dcsPublicAccess ? 'on' : 'off'}.`);
  } else {
    lines.push(`DCS: ${server.dcsUrl} (public access without sign-in: ${config.dcsPublicAccess ? 'on' : 'off'})`);
  }
  if (server.tls) {
    lines.push('');
    lines.push(server.tls.generated ? `Generated a self-signed development certificate: ${server.tls.certPath}` : `TLS certificate: ${server.tls.certPath}`);
    if (config.tlsCert === undefined) {
      lines.push(
        'Office and browsers must trust it: import it into your trusted root certificates (see "Trusting the development certificate" in docs/operating.md).',
      );
    }
  }
  lines.push('Press Ctrl+C to stop.', '');
  return lines.join('\n');
}

/** The URL to show people: PUBLIC_URL, else localhost for loopback and wildcard hosts (what the certificate names). */
function publicBase(server: StartedServer): string {
  if (server.config.publicUrl !== undefined) return server.config.publicUrl;
  const url = new URL(server.url);
  if (['127.0.0.1', '[::1]', '0.0.0.0', '[::]'].includes(url.hostname)) url.hostname = 'localhost';
  return url.origin;
}

main().catch((error: unknown) => {
  process.stderr.write(`The server could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
