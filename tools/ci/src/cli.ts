/**
 * pnpm ci-step <command>: the steps of .github/workflows that are more than a line of shell.
 *   pr-comment --affected affected.json --diff diff.md [--post]   the sticky comment (stdout, or posted)
 *   notify --kind deploy-failed|rolled-back --host H --detail D   one notification (HOMELAB_NOTIFY_URL, HOMELAB_NOTIFY_TOKEN)
 *   drift-report --findings drift.json --exit N [--stderr err.txt]  job summary on stdout; notifies
 *   calver                                                        the next release tag (vYYYY.MM.DD[.N]) after the repository's tags
 *   deploy-matrix [--tiers]                                       the hosts to deploy on main, as JSON (--tiers: tier<k>=<JSON> lines)
 *   images-report --verify images.json [--post]                   homelab images verify --json for a person (stdout), or its sticky comment
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { nextCalVer } from './calver.js';
import { deployMatrixHere } from './deploy-matrix-git.js';
import { DEPLOY_JOBS, deployTierOutputs } from './deploy-matrix.js';
import { driftReport, parseDriftOutput, type DriftExit } from './drift-report.js';
import { upsertStickyComment, type GitHubTarget } from './github-comment.js';
import { IMAGES_COMMENT_MARKER, imagesReport, parseVerifyOutput } from './images-report.js';
import { notificationRequest, sendNotification, targetFormat, type NotificationEvent, type NotificationKind } from './notify.js';
import { buildPrComment, type AffectedReport } from './pr-comment.js';

const env = process.env;
const runUrl = env.GITHUB_RUN_ID ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;

async function notify(events: readonly NotificationEvent[]): Promise<void> {
  const url = env.HOMELAB_NOTIFY_URL;
  if (!url) {
    if (events.length) process.stderr.write('::warning::HOMELAB_NOTIFY_URL is not set: nobody is told\n');
    return;
  }
  const format = targetFormat(url, env.HOMELAB_NOTIFY_FORMAT || undefined);
  const options = { token: env.HOMELAB_NOTIFY_TOKEN || undefined, at: new Date().toISOString() };
  for (const event of events) await sendNotification(notificationRequest(event, url, format, options));
}

/** The pull request a comment goes to, from the workflow's environment. */
function prTarget(): GitHubTarget {
  const pr = Number(env.HOMELAB_PR_NUMBER);
  if (!env.GITHUB_TOKEN || !env.GITHUB_REPOSITORY || !pr) throw new Error('--post needs GITHUB_TOKEN, GITHUB_REPOSITORY and HOMELAB_PR_NUMBER');
  return { api: env.GITHUB_API_URL ?? 'https://api.github.com', repository: env.GITHUB_REPOSITORY, pullRequest: pr, token: env.GITHUB_TOKEN };
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      affected: { type: 'string' },
      diff: { type: 'string' },
      post: { type: 'boolean' },
      kind: { type: 'string' },
      host: { type: 'string' },
      detail: { type: 'string' },
      findings: { type: 'string' },
      exit: { type: 'string' },
      stderr: { type: 'string' },
      verify: { type: 'string' },
      tiers: { type: 'boolean' },
    },
  });
  const context = { ...(runUrl ? { runUrl } : {}), ...(env.GITHUB_SHA ? { commit: env.GITHUB_SHA } : {}) };
  switch (command) {
    case 'pr-comment': {
      if (!values.affected || !values.diff) throw new Error('pr-comment needs --affected <file> and --diff <file>');
      const body = buildPrComment({
        affected: JSON.parse(readFileSync(values.affected, 'utf8')) as AffectedReport,
        diff: readFileSync(values.diff, 'utf8'),
        summaryUrl: runUrl ?? '#',
        ...(env.HOMELAB_PR_HEAD_SHA ? { sha: env.HOMELAB_PR_HEAD_SHA } : {}),
      });
      if (!values.post) {
        process.stdout.write(body);
        return 0;
      }
      const done = await upsertStickyComment(prTarget(), body);
      process.stdout.write(`comment ${done.id} ${done.action} (${body.length} characters)\n`);
      return 0;
    }
    case 'notify': {
      const kinds = ['deploy-failed', 'rolled-back', 'drift', 'drift-error'];
      if (!values.kind || !kinds.includes(values.kind) || !values.host) throw new Error(`notify needs --kind (${kinds.join(', ')}) and --host`);
      await notify([{ kind: values.kind as NotificationKind, host: values.host, detail: values.detail ?? '', ...context }]);
      return 0;
    }
    case 'drift-report': {
      if (!values.findings || values.exit === undefined) throw new Error('drift-report needs --findings <file> and --exit <code>');
      const exit = Number(values.exit);
      if (exit !== 0 && exit !== 1 && exit !== 2) throw new Error(`homelab drift exited ${values.exit}: expected 0, 1 or 2`);
      const stderr = values.stderr ? readFileSync(values.stderr, 'utf8') : '';
      const report = driftReport(exit as DriftExit, parseDriftOutput(readFileSync(values.findings, 'utf8')), { ...context, stderr });
      process.stdout.write(report.summary);
      await notify(report.events);
      return 0;
    }
    case 'images-report': {
      if (!values.verify) throw new Error('images-report needs --verify <file> (homelab images verify --json)');
      const body = imagesReport(parseVerifyOutput(readFileSync(values.verify, 'utf8'), values.verify), runUrl ?? '#');
      if (!values.post) {
        process.stdout.write(body);
        return 0;
      }
      const done = await upsertStickyComment(prTarget(), body, IMAGES_COMMENT_MARKER);
      process.stdout.write(`comment ${done.id} ${done.action} (${body.length} characters)\n`);
      return 0;
    }
    case 'calver': {
      const tags = spawnSync('git', ['tag', '--list', 'v*'], { encoding: 'utf8' });
      if (tags.status !== 0) throw new Error(`git tag --list failed: ${tags.stderr}`);
      process.stdout.write(`${nextCalVer(new Date(), tags.stdout.split('\n').filter(Boolean))}\n`);
      return 0;
    }
    case 'deploy-matrix': {
      const jobs = deployMatrixHere(process.cwd());
      // --tiers: one `tier<k>=<JSON>` line per deploy rank, for $GITHUB_OUTPUT; else the jobs as JSON.
      process.stdout.write(values.tiers ? `${deployTierOutputs(jobs, DEPLOY_JOBS).join('\n')}\n` : `${JSON.stringify(jobs)}\n`);
      return 0;
    }
    default:
      process.stderr.write('usage: pnpm ci-step pr-comment|images-report|notify|drift-report|deploy-matrix|calver [options] (see tools/ci/src/cli.ts)\n');
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
