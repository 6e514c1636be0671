/** moto is a child process: it starts with the sandbox, stops with it, and its death is reported, not hidden. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { startTestSandbox } from './helpers';

/** Live (non-zombie) processes in a process group, from /proc. */
function liveInGroup(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') pids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

describe('the moto child process', () => {
  it('is gone after stop()', async () => {
    const sandbox = await startTestSandbox();
    await sandbox.stop();
    expect(liveInGroup(sandbox.motoProcessGroup)).toEqual([]);
  });

  it.each(['motoEndpoint', 'endpoint'] as const)('%s listens on loopback only', async (which) => {
    const sandbox = await startTestSandbox();
    try {
      const port = new URL(sandbox[which]).port;
      const listening = execFileSync('sh', ['-c', `cat /proc/net/tcp | awk '{print $2, $4}'`], { encoding: 'utf8' });
      const hexPort = Number(port).toString(16).toUpperCase().padStart(4, '0');
      const lines = listening.split('\n').filter((l) => l.endsWith(' 0A') && l.split(' ')[0].endsWith(`:${hexPort}`));
      expect(lines.map((l) => l.split(':')[0])).toEqual(['0100007F']);
    } finally {
      await sandbox.stop();
    }
  });

  it('answers ServiceUnavailable (503) in the service\'s error shape when moto has died', async () => {
    const sandbox = await startTestSandbox();
    try {
      process.kill(-sandbox.motoProcessGroup, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 200));
      const err = await new DynamoDBClient({ endpoint: sandbox.endpoint, maxAttempts: 1 }).send(new ListTablesCommand({})).catch((e: Error & { $metadata: { httpStatusCode?: number } }) => e);
      expect([(err as Error).name, (err as { $metadata: { httpStatusCode?: number } }).$metadata.httpStatusCode, (err as Error).message])
        .toEqual(['ServiceUnavailable', 503, expect.stringMatching(/moto_server is not answering/)]);
    } finally {
      await sandbox.stop();
    }
  });
});
