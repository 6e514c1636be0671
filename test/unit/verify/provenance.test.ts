import { ciContext, endpointLine, isLocalEndpoint } from '../../../verify/report/provenance';
import { CHECK_CATALOG, controlsEvidenced, controlsFor, fixedTitle, remedyFor } from '../../../verify/report/controls';

describe('isLocalEndpoint', () => {
  it.each(['http://127.0.0.1:4566', 'http://localhost:5000', 'http://[::1]:4566', 'http://sandbox.localhost:80', '127.0.0.5'])('%s is local', (e) => expect(isLocalEndpoint(e)).toBe(true));
  it.each([undefined, 'aws', 'https://dynamodb.us-east-1.amazonaws.com', 'https://vpce-1.dynamodb.eu-west-1.vpce.amazonaws.com'])('%s is not', (e) => expect(isLocalEndpoint(e)).toBe(false));

  it('says LOCAL SANDBOX, not AWS for a local endpoint', () => {
    expect(endpointLine({ endpoint: 'http://127.0.0.1:4566', localSandbox: true })).toBe('LOCAL SANDBOX, not AWS · http://127.0.0.1:4566');
    expect(endpointLine({ endpoint: 'aws', localSandbox: false })).toBe('AWS (public endpoints)');
  });
});

describe('ciContext', () => {
  it('reads GitHub Actions: run id, commit, repository and a link to the run', () => {
    expect(ciContext({ GITHUB_ACTIONS: 'true', GITHUB_RUN_ID: '42', GITHUB_SHA: 'abc', GITHUB_REPOSITORY: 'acme/p', GITHUB_SERVER_URL: 'https://github.com' })).toEqual({
      provider: 'github-actions', runId: '42', commit: 'abc', repository: 'acme/p', url: 'https://github.com/acme/p/actions/runs/42',
    });
  });

  it('reads Terraform Cloud\'s run id and commit', () => {
    expect(ciContext({ TFC_RUN_ID: 'run-xyz', TFC_CONFIGURATION_VERSION_GIT_COMMIT_SHA: 'def' })).toEqual({ provider: 'terraform-cloud', runId: 'run-xyz', commit: 'def' });
  });

  it('is undefined outside CI', () => {
    expect(ciContext({ HOME: '/root' })).toBeUndefined();
  });
});

describe('control mapping', () => {
  it('maps restore, data and backup checks to the declared controls', () => {
    expect(controlsFor('DRILL-RESTORE')).toEqual(expect.arrayContaining(['SOC2-A1.3', 'SOC2-CC7.5', 'ISO27001-A.8.13', 'NIST-CP-4', 'NIST-CP-10']));
    expect(controlsFor('DATA-DIGEST')).toEqual(expect.arrayContaining(['SOC2-A1.3', 'NIST-CP-4']));
    expect(controlsFor('BACKUP-RPO')).toEqual(['SOC2-A1.2', 'ISO27001-A.8.13', 'NIST-CP-9']);
    expect(controlsFor('TS-BAK-003:vault')).toEqual(['SOC2-A1.2', 'ISO27001-A.8.13', 'NIST-CP-9']);
    expect(controlsFor('TABLE-TAGS')).toEqual([]);
  });

  it('every DRILL-* and DATA-* check has a fixed title without numbers and a remedy', () => {
    for (const e of CHECK_CATALOG.filter((x) => /^(DRILL|DATA)-/.test(x.id))) {
      expect(fixedTitle({ id: e.id, title: 'varying 42', category: 'drill' })).not.toMatch(/\d/);
      expect(remedyFor({ id: e.id, category: 'drill' }).length).toBeGreaterThan(20);
    }
    expect(remedyFor({ id: 'TABLE-SSE', category: 'contract' })).toMatch(/apply the stack again/);
  });

  it('a control with no check run is not tested; one with a failed check failed', () => {
    const c = controlsEvidenced([{ id: 'BACKUP-RPO', status: 'pass' }, { id: 'DATA-COUNT', status: 'fail' }]);
    expect(c.find((x) => x.control === 'NIST-CP-9')).toMatchObject({ status: 'evidenced', checks: ['BACKUP-RPO'] });
    expect(c.find((x) => x.control === 'NIST-CP-4')).toMatchObject({ status: 'failed', checks: ['DATA-COUNT'] });
    expect(c.find((x) => x.control === 'SOC2-CC7.5')).toMatchObject({ status: 'not-tested', checks: [] });
  });
});
