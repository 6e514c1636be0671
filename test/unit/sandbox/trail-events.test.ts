import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { isManagementWrite, TrailEvents, type RecordedCall } from '../../../sandbox/trail-events';

const call = (operation: string, parameters: Record<string, unknown> = {}, service = 'dynamodb', region = 'us-east-1'): RecordedCall =>
  ({ service, region, operation, accessKeyId: 'AKID', accountId: '123456789012', requestId: 'r1', parameters });

describe('CloudTrail event history', () => {
  it('records management writes only: no reads, no item or object writes', () => {
    expect([
      isManagementWrite('dynamodb', 'CreateTable', true),
      isManagementWrite('dynamodb', 'DescribeTable', false),
      isManagementWrite('dynamodb', 'PutItem', true),
      isManagementWrite('s3', 'PutObject', true),
      isManagementWrite('s3', 'CreateBucket', true),
    ]).toEqual([true, false, false, false, true]);
  });

  it('LookupEvents finds an event by name and resource, newest first, with the CloudTrail record', () => {
    const trail = new TrailEvents(100);
    trail.record(call('CreateTable', { TableName: 'orders' }), 1_000);
    trail.record(call('UpdateTable', { TableName: 'orders' }), 2_000);
    trail.record(call('CreateTable', { TableName: 'other' }), 3_000);
    const byName = trail.lookup('us-east-1', { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateTable' }] });
    const byResource = trail.lookup('us-east-1', { LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: 'orders' }] });
    if (!byName.ok || !byResource.ok) throw new Error('lookup failed');
    const events = byName.body.Events as Array<Record<string, any>>;
    expect(events.map((e) => e.Resources[0].ResourceName)).toEqual(['other', 'orders']);
    expect(events[0]).toMatchObject({ EventSource: 'dynamodb.amazonaws.com', ReadOnly: 'false', EventTime: 3, Resources: [{ ResourceType: 'AWS::DynamoDB::Table', ResourceName: 'other' }] });
    expect(JSON.parse(events[0].CloudTrailEvent)).toMatchObject({ eventName: 'CreateTable', awsRegion: 'us-east-1', requestParameters: { TableName: 'other' }, managementEvent: true });
    expect((byResource.body.Events as unknown[]).length).toBe(2);
  });

  it('is regional, pages with NextToken and filters by time', () => {
    const trail = new TrailEvents(100);
    for (let i = 0; i < 5; i++) trail.record(call('CreateTable', { TableName: `t${i}` }), (i + 1) * 1000);
    trail.record(call('CreateTable', { TableName: 'far' }, 'dynamodb', 'eu-west-1'), 9_000);
    const first = trail.lookup('us-east-1', { MaxResults: 2 });
    if (!first.ok) throw new Error('lookup failed');
    const second = trail.lookup('us-east-1', { MaxResults: 2, NextToken: first.body.NextToken });
    const window = trail.lookup('us-east-1', { StartTime: 2, EndTime: 3 });
    if (!second.ok || !window.ok) throw new Error('lookup failed');
    const names = (r: Record<string, unknown>) => (r.Events as Array<{ Resources: Array<{ ResourceName: string }> }>).map((e) => e.Resources[0].ResourceName);
    expect([names(first.body), names(second.body), names(window.body)]).toEqual([['t4', 't3'], ['t2', 't1'], ['t2', 't1']]);
  });

  it('refuses what LookupEvents refuses', () => {
    const trail = new TrailEvents(10);
    const codes = [
      trail.lookup('us-east-1', { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'a' }, { AttributeKey: 'Username', AttributeValue: 'b' }] }),
      trail.lookup('us-east-1', { LookupAttributes: [{ AttributeKey: 'Colour', AttributeValue: 'a' }] }),
      trail.lookup('us-east-1', { MaxResults: 51 }),
      trail.lookup('us-east-1', { StartTime: 10, EndTime: 5 }),
    ].map((r) => (r.ok ? 'ok' : r.error.code));
    expect(codes).toEqual(['InvalidLookupAttributesException', 'InvalidLookupAttributesException', 'InvalidMaxResultsException', 'InvalidTimeRangeException']);
  });

  it('keeps the newest `limit` events, on disk too, and records none at limit 0', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'trail-')), 'events.jsonl');
    const trail = new TrailEvents(3, file);
    for (let i = 0; i < 5; i++) trail.record(call('CreateTable', { TableName: `t${i}` }), i);
    const reopened = new TrailEvents(3, file);
    const listed = reopened.lookup('us-east-1', {});
    if (!listed.ok) throw new Error('lookup failed');
    expect([trail.size, reopened.size, (listed.body.Events as Array<{ EventName: string; Resources: Array<{ ResourceName: string }> }>).map((e) => e.Resources[0].ResourceName)]).toEqual([3, 3, ['t4', 't3', 't2']]);
    const off = new TrailEvents(0);
    off.record(call('CreateTable'));
    expect(off.size).toBe(0);
  });
});
