import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  'runs-on': string;
  steps: Step[];
  needs?: string[];
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
  permissions?: Record<string, string>;
}

const file = join(__dirname, '..', '..', '.github/workflows/release.yml');
const text = readFileSync(file, 'utf8');
const workflow = parse(text) as Workflow;

function envOf(job: Job): Record<string, string> {
  return Object.assign({}, ...job.steps.map((s) => s.env ?? {})) as Record<string, string>;
}

describe('release workflow', () => {
  it('runs on tag pushes', () => {
    expect(workflow.on).toHaveProperty('push');
    expect((workflow.on.push as { tags: string[] }).tags).toContain('v*');
  });

  it('has a job per platform on Windows, macOS and Ubuntu runners, each packaging with our builder config', () => {
    const runners = Object.values(workflow.jobs).map((j) => j['runs-on']);
    expect(runners).toEqual(expect.arrayContaining(['windows-latest', 'macos-latest', 'ubuntu-latest']));
    for (const [name, flag] of [
      ['windows', '--win'],
      ['macos', '--mac'],
      ['linux', '--linux'],
    ] as const) {
      const job = workflow.jobs[name];
      expect(job, name).toBeDefined();
      const pack = job?.steps.find((s) => s.run?.includes('electron-builder'));
      expect(pack?.run).toContain('--config electron-builder.config.cjs');
      expect(pack?.run).toContain(flag);
      expect(job?.steps.some((s) => s.run === 'npm ci')).toBe(true);
    }
    expect(workflow.jobs.publish?.needs).toEqual(['windows', 'macos', 'linux']);
  });

  it('takes Windows and macOS signing material from secrets only', () => {
    const win = envOf(workflow.jobs.windows as Job);
    expect(win.WIN_CSC_LINK).toBe('${{ secrets.WIN_CSC_LINK }}');
    expect(win.WIN_CSC_KEY_PASSWORD).toBe('${{ secrets.WIN_CSC_KEY_PASSWORD }}');
    expect(win.AZURE_CLIENT_SECRET).toBe('${{ secrets.AZURE_CLIENT_SECRET }}');
    const mac = envOf(workflow.jobs.macos as Job);
    expect(mac.CSC_LINK).toBe('${{ secrets.MAC_CSC_LINK }}');
    expect(mac.APPLE_API_KEY_ID).toBe('${{ secrets.APPLE_API_KEY_ID }}');
    expect(mac.APPLE_API_KEY_P8).toBe('${{ secrets.APPLE_API_KEY_P8 }}');
  });

  it('has no secret literal: every sensitive env value is a ${{ secrets.* }} expression', () => {
    const sensitive = /(CSC|PASSWORD|SECRET|TOKEN|KEY|AZURE|APPLE)/;
    for (const job of Object.values(workflow.jobs)) {
      for (const [k, v] of Object.entries(envOf(job))) {
        if (sensitive.test(k)) expect(v, k).toMatch(/^\$\{\{ secrets\.[A-Z0-9_]+ \}\}$/);
      }
    }
    expect(text).not.toMatch(/-----BEGIN|MII[A-Za-z0-9+/]{20}/);
  });

  it('signs the Linux updates with the key from secrets, checks them against the built-in key and publishes the .sig', () => {
    const linux = workflow.jobs.linux as Job;
    const names = linux.steps.map((st) => st.name ?? st.run ?? st.uses ?? '');
    const pack = names.findIndex((n) => n.startsWith('Package'));
    const sign = linux.steps.findIndex((st) => st.run?.includes('scripts/sign-update.sh'));
    const check = linux.steps.findIndex((st) => st.run?.includes('pkeyutl -verify'));
    const upload = linux.steps.findIndex((st) => st.uses?.startsWith('actions/upload-artifact'));
    expect(pack).toBeGreaterThanOrEqual(0);
    expect(sign).toBeGreaterThan(pack);
    expect(check).toBeGreaterThan(sign);
    expect(upload).toBeGreaterThan(check);
    expect(linux.steps[sign]?.env?.UPDATE_SIGNING_KEY).toBe('${{ secrets.UPDATE_SIGNING_KEY }}');
    expect(String(linux.steps[upload]?.with?.path)).toContain('release/*.sig');
    for (const job of ['windows', 'macos', 'linux']) {
      const build = (workflow.jobs[job] as Job).steps.find((st) => st.run === 'npm run build');
      expect(build?.env?.RATSDESK_UPDATE_PUBLIC_KEY, job).toBe('${{ secrets.RATSDESK_UPDATE_PUBLIC_KEY }}');
    }
  });
});
