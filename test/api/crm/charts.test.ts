import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTenant, memberOf, type Tenant } from '../../helpers/fixtures.js';
import { ok, userError, type GraphQLClient } from '../../helpers/graphql-client.js';
import { graphql } from '../../gql/index.js';
import type { ChartConfigurationInput } from '../../gql/graphql.js';
import { createModule, createRecords, OPPORTUNITY_FIELDS, sequence } from './helpers.js';

const ChartDataQuery = graphql(`
  query CrmChartData($module: ID!, $configuration: ChartConfigurationInput!) {
    chartData(module: $module, configuration: $configuration) {
      kind
      labels
      keys
      datasets {
        label
        key
        data
        exact
      }
    }
  }
`);

const CreateChart = graphql(`
  mutation CrmCreateChart($input: CreateChartInput!) {
    createChart(input: $input) {
      __typename
      ... on MutationCreateChartSuccess {
        data {
          id
          name
          module {
            id
            handle
          }
          configuration {
            kind
            x {
              field
              bucket
            }
            sum
          }
          data {
            labels
            datasets {
              exact
            }
          }
        }
      }
      ...UserErrorFields
    }
  }
`);

const UpdateChart = graphql(`
  mutation CrmUpdateChart($id: ID!, $input: UpdateChartInput!) {
    updateChart(id: $id, input: $input) {
      __typename
      ... on MutationUpdateChartSuccess {
        data {
          id
          name
          configuration {
            kind
            count
          }
        }
      }
      ... on UserError {
        code
        message
        issues {
          path
          code
        }
      }
    }
  }
`);

const DeleteChart = graphql(`
  mutation CrmDeleteChart($id: ID!) {
    deleteChart(id: $id) {
      __typename
      ... on MutationDeleteChartSuccess {
        data
      }
      ... on UserError {
        code
        message
      }
    }
  }
`);

const ChartById = graphql(`
  query CrmChart($id: ID!) {
    chart(id: $id) {
      id
      name
      data {
        labels
        datasets {
          data
        }
      }
    }
    node(id: $id) {
      id
    }
  }
`);

const Charts = graphql(`
  query CrmCharts($module: ID) {
    charts(module: $module, first: 20) {
      totalCount
      edges {
        node {
          name
        }
      }
    }
  }
`);

interface Opportunity {
  name: string;
  cents: number;
  state: 'open' | 'won' | 'lost';
  type: 'new' | 'existing' | 'renewal';
  closedAt: string | null;
  probability: number;
}

const amount = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
/** An exact decimal string as cents, to compare sums without floating point. */
const cents = (exact: string | null | undefined) => {
  if (exact == null) return null;
  const [whole, frac = ''] = exact.split('.');
  return Number(whole) * 100 + Math.sign(Number(whole) || 1) * Number(`${frac}00`.slice(0, 2));
};

describe('CRM charts', () => {
  let t: TestServer;
  let tenant: Tenant;
  let api: GraphQLClient;
  let opportunities: string;
  let leads: string;
  const opps: Opportunity[] = [];
  const countries: (string | null)[] = [];
  const owners: { id: string; name: string }[] = [];
  const leadOwners: string[] = [];

  beforeAll(async () => {
    t = await startTestServer();
    tenant = await createTenant(t.server.db);
    api = t.client.as(tenant.key);
    opportunities = (await createModule(api, 'Opportunities', 'opportunity', OPPORTUNITY_FIELDS)).id;
    leads = (
      await createModule(api, 'Leads', 'lead', [
        { key: 'name', label: 'Name', type: 'TEXT' },
        { key: 'country', label: 'Country', type: 'TEXT' },
        { key: 'source', label: 'Source', type: 'TEXT' },
        { key: 'owner', label: 'Owner', type: 'USER' },
      ])
    ).id;

    for (const role of ['EDITOR', 'VIEWER'] as const) owners.push((await memberOf(t.server.db, tenant.workspaceId, role)).user);
    const random = sequence(7);
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    // closing months skip April on purpose: a line over Feb..May must show April as 0
    const months = [1, 2, 3, 5, 6];
    for (let i = 0; i < 80; i++) {
      const closed = random() < 0.9;
      const month = pick(months);
      const day = 1 + Math.floor(random() * 28);
      opps.push({
        name: `Opportunity ${i}`,
        cents: 10_000 + Math.floor(random() * 5_000_000),
        state: pick(['open', 'open', 'won', 'lost'] as const),
        type: pick(['new', 'existing', 'renewal'] as const),
        closedAt: closed ? new Date(Date.UTC(2026, month - 1, day, Math.floor(random() * 24), 30)).toISOString() : null,
        probability: Math.floor(random() * 101),
      });
    }
    await createRecords(
      api,
      opportunities,
      opps.map((o) => ({
        name: o.name,
        value: amount(o.cents),
        state: o.state,
        type: o.type,
        probability: o.probability,
        ...(o.closedAt ? { closed_at: o.closedAt } : {}),
      })),
    );
    const leadValues = [];
    for (let i = 0; i < 120; i++) {
      const country = random() < 0.1 ? null : pick(['DE', 'FR', 'US', 'GB', 'NL']);
      countries.push(country);
      const owner = owners[i % 5 === 0 ? 1 : 0]!.id;
      leadOwners.push(owner);
      leadValues.push({ name: `Lead ${i}`, source: i % 3 === 0 ? 'web' : 'fair', owner, ...(country ? { country } : {}) });
    }
    await createRecords(api, leads, leadValues);
  });
  afterAll(() => t?.stop());

  const chart = (module: string, configuration: ChartConfigurationInput) => api.data(ChartDataQuery, { module, configuration }).then((d) => d.chartData);

  it('draws opportunity values between two dates as a line, month by month', async () => {
    const min = '2026-02-01T00:00:00.000Z';
    const max = '2026-05-31T23:59:59.999Z';
    const data = await chart(opportunities, { kind: 'LINE', x: { field: 'closed_at', min, max, bucket: 'MONTH' }, sum: 'value' });

    const expected = new Map<string, number>();
    for (const o of opps) {
      if (!o.closedAt || o.closedAt < min || o.closedAt > max) continue;
      const month = o.closedAt.slice(0, 7);
      expected.set(month, (expected.get(month) ?? 0) + o.cents);
    }
    expect(data.kind).toBe('LINE');
    expect(data.labels).toEqual(['2026-02', '2026-03', '2026-04', '2026-05']);
    expect(data.keys).toEqual(['2026-02-01', '2026-03-01', '2026-04-01', '2026-05-01']);
    expect(data.datasets).toHaveLength(1);
    const [series] = data.datasets;
    expect(series!.exact.map(cents)).toEqual(['2026-02', '2026-03', '2026-04', '2026-05'].map((m) => expected.get(m) ?? 0));
    expect(expected.has('2026-04')).toBe(false);
    series!.data.forEach((v, i) => expect(v).toBeCloseTo((cents(series!.exact[i]) ?? 0) / 100, 2));
  });

  it('counts opportunities by state as a pie, in the order of the options', async () => {
    const data = await chart(opportunities, { kind: 'PIE', x: { field: 'state' } });
    const count = (s: string) => opps.filter((o) => o.state === s).length;
    expect(data.labels).toEqual(['Open', 'Won', 'Lost']);
    expect(data.keys).toEqual(['open', 'won', 'lost']);
    expect(data.datasets).toEqual([
      {
        label: 'count',
        key: null,
        data: [count('open'), count('won'), count('lost')],
        exact: [String(count('open')), String(count('won')), String(count('lost'))],
      },
    ]);
    expect(count('open') + count('won') + count('lost')).toBe(80);
  });

  it('sums opportunity values by type as a donut', async () => {
    const data = await chart(opportunities, { kind: 'DONUT', x: { field: 'type' }, sum: 'value' });
    const sum = (type: string) => opps.filter((o) => o.type === type).reduce((s, o) => s + o.cents, 0);
    expect(data.labels).toEqual(['New business', 'Existing business', 'Renewal']);
    expect(data.datasets[0]!.exact.map(cents)).toEqual([sum('new'), sum('existing'), sum('renewal')]);
  });

  it('counts leads per country as a bar, records without a country last', async () => {
    const data = await chart(leads, { kind: 'BAR', x: { field: 'country' } });
    const expected = [...new Set(countries.filter((c): c is string => c !== null))].sort();
    expect(data.labels).toEqual([...expected, null]);
    expect(data.datasets[0]!.data).toEqual([...expected.map((c) => countries.filter((x) => x === c).length), countries.filter((x) => x === null).length]);

    // with the chart's own filter: only leads from the web (every third)
    const web = await chart(leads, { kind: 'BAR', x: { field: 'country' }, filter: { field: 'source', operator: 'IS', value: 'web' } });
    const webCountries = countries.filter((_, i) => i % 3 === 0);
    const present = [...new Set(webCountries)].sort((a, b) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)));
    expect(web.labels).toEqual(present);
    expect(web.datasets[0]!.data).toEqual(present.map((c) => webCountries.filter((x) => x === c).length));
  });

  it('labels members by name, in name order', async () => {
    const data = await chart(leads, { kind: 'BAR', x: { field: 'owner' } });
    const expected = owners
      .map((o) => ({ key: o.id, label: o.name, count: leadOwners.filter((x) => x === o.id).length }))
      .sort((a, b) => (a.label < b.label ? -1 : 1));
    expect(data.keys).toEqual(expected.map((e) => e.key));
    expect(data.labels).toEqual(expected.map((e) => e.label));
    expect(data.datasets[0]!.data).toEqual(expected.map((e) => e.count));
  });

  it('splits a line into one dataset per groupBy value', async () => {
    const data = await chart(opportunities, { kind: 'AREA', x: { field: 'closed_at', bucket: 'MONTH' }, groupBy: 'state' });
    const months = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'];
    expect(data.labels).toEqual(months);
    expect(data.datasets.map((d) => d.label)).toEqual(['Open', 'Won', 'Lost']);
    for (const d of data.datasets) {
      expect(d.data).toEqual(months.map((m) => opps.filter((o) => o.state === d.key && o.closedAt?.startsWith(m)).length));
    }
  });

  it('shows one measured value as a gauge', async () => {
    const data = await chart(opportunities, {
      kind: 'GAUGE',
      y: { field: 'probability', aggregate: 'MAX', min: 0, max: 100 },
      filter: { field: 'state', operator: 'IS', value: 'won' },
    });
    expect(data.datasets[0]!.data).toEqual([Math.max(...opps.filter((o) => o.state === 'won').map((o) => o.probability))]);
  });

  it('refuses configurations that make no sense for the field types, naming each part', async () => {
    const errors = await api.errors(ChartDataQuery, {
      module: opportunities,
      configuration: { kind: 'PIE', x: { field: 'probability', bucket: 'MONTH' }, groupBy: 'type', sum: 'name' },
    });
    expect(errors[0]!.extensions?.code).toBe('BAD_USER_INPUT');
    const issues = errors[0]!.extensions!.issues!.map((i) => `${i.path.join('.')} ${i.code}`).sort();
    expect(issues).toEqual(['configuration.groupBy NOT_ALLOWED', 'configuration.sum NOT_SUMMED', 'configuration.x.bucket BUCKET_NEEDS_DATE']);
    expect(errors[0]!.message).toMatch(/name.*TEXT.*cannot be summed/);

    const more = await api.errors(ChartDataQuery, {
      module: opportunities,
      configuration: { kind: 'LINE', x: { field: 'nope' }, sum: 'value', count: 'name', filter: { field: 'state', operator: 'GREATER', value: 'won' } },
    });
    expect(more[0]!.extensions!.issues!.map((i) => `${i.path.join('.')} ${i.code}`).sort()).toEqual([
      'configuration.count CONFLICT',
      'configuration.filter.operator OPERATOR_NOT_APPLICABLE',
      'configuration.x.field UNKNOWN_FIELD',
    ]);
    const noX = await api.errors(ChartDataQuery, { module: opportunities, configuration: { kind: 'BAR' } });
    expect(noX[0]!.extensions!.issues).toEqual([expect.objectContaining({ path: ['configuration', 'x'], code: 'REQUIRED' })]);
    const range = await api.errors(ChartDataQuery, { module: opportunities, configuration: { kind: 'LINE', x: { field: 'closed_at', min: 'yesterday' } } });
    expect(range[0]!.extensions!.issues).toEqual([expect.objectContaining({ path: ['configuration', 'x', 'min'], code: 'INVALID_VALUE' })]);
    // a bound the chart accepts but the engine's filter does not is still reported at the bound
    const year = await api.errors(ChartDataQuery, { module: opportunities, configuration: { kind: 'LINE', x: { field: 'closed_at', max: '0001-01-01' } } });
    expect(year[0]!.extensions!.issues).toEqual([expect.objectContaining({ path: ['configuration', 'x', 'max'] })]);
  });

  it('saves charts, computes their data, and checks changes against the module', async () => {
    const created = ok(
      (
        await api.data(CreateChart, {
          input: {
            name: 'Pipeline by month',
            module: opportunities,
            configuration: { kind: 'LINE', x: { field: 'closed_at', bucket: 'MONTH' }, sum: 'value' },
          },
        })
      ).createChart,
    );
    expect(created.module.handle).toBe('opportunity');
    expect(created.configuration).toEqual({ kind: 'LINE', x: { field: 'closed_at', bucket: 'MONTH' }, sum: 'value' });
    const live = await chart(opportunities, { kind: 'LINE', x: { field: 'closed_at', bucket: 'MONTH' }, sum: 'value' });
    expect(created.data.labels).toEqual(live.labels);
    expect(created.data.datasets[0]!.exact).toEqual(live.datasets[0]!.exact);

    const refused = userError(
      (await api.data(CreateChart, { input: { name: ' ', module: leads, configuration: { kind: 'DONUT', x: { field: 'country' }, sum: 'country' } } }))
        .createChart,
    );
    expect(refused.code).toBe('BAD_USER_INPUT');
    expect(refused.issues.map((i) => `${i.path.join('.')} ${i.code}`)).toEqual(['input.name REQUIRED']);
    const badConfig = userError(
      (await api.data(CreateChart, { input: { name: 'x', module: leads, configuration: { kind: 'DONUT', x: { field: 'country' }, sum: 'country' } } }))
        .createChart,
    );
    expect(badConfig.issues.map((i) => `${i.path.join('.')} ${i.code}`)).toEqual(['input.configuration.sum NOT_SUMMED']);

    // moving the chart to a module without its fields is refused; a fitting change is saved
    const moved = userError((await api.data(UpdateChart, { id: created.id, input: { module: leads } })).updateChart);
    expect(moved.issues.map((i) => `${i.path.join('.')} ${i.code}`).sort()).toEqual([
      'input.configuration.sum UNKNOWN_FIELD',
      'input.configuration.x.field UNKNOWN_FIELD',
    ]);
    const updated = ok(
      (
        await api.data(UpdateChart, {
          id: created.id,
          input: { name: 'Names per month', configuration: { kind: 'STEP', x: { field: 'closed_at' }, count: 'name' } },
        })
      ).updateChart,
    );
    expect(updated).toMatchObject({ name: 'Names per month', configuration: { kind: 'STEP', count: 'name' } });

    expect((await api.data(Charts, { module: opportunities })).charts.totalCount).toBe(1);
    expect((await api.data(Charts, { module: leads })).charts.totalCount).toBe(0);
    expect(ok((await api.data(DeleteChart, { id: created.id })).deleteChart)).toBe(created.id);
    expect((await api.data(ChartById, { id: created.id })).chart).toBeNull();
  });

  it('answers BAD_USER_INPUT naming the part when a saved chart no longer fits its module', async () => {
    const m = await createModule(api, 'Scratch', 'scratch', [
      { key: 'label', label: 'Label', type: 'TEXT' },
      { key: 'points', label: 'Points', type: 'NUMBER' },
    ]);
    await createRecords(api, m.id, [
      { label: 'a', points: 2 },
      { label: 'a', points: 3 },
      { label: 'b', points: 5 },
    ]);
    const saved = ok(
      (await api.data(CreateChart, { input: { name: 'Points', module: m.id, configuration: { kind: 'BAR', x: { field: 'label' }, sum: 'points' } } }))
        .createChart,
    );
    expect(saved.data.datasets[0]!.exact).toEqual(['5', '5']);
    const fields = await api.data<any, any>(`query($id: ID!) { module(id: $id) { field(key: "points") { id } } }`, { id: m.id });
    await api.data<any, any>(`mutation($id: ID!) { removeModuleField(id: $id) { __typename } }`, { id: fields.module.field.id });
    const errors = await api.errors(ChartById, { id: saved.id });
    expect(errors[0]!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errors[0]!.extensions!.issues).toEqual([expect.objectContaining({ path: ['configuration', 'sum'], code: 'UNKNOWN_FIELD' })]);
  });

  it("keeps another workspace's modules and charts out of reach", async () => {
    const saved = ok(
      (await api.data(CreateChart, { input: { name: 'Mine', module: leads, configuration: { kind: 'BAR', x: { field: 'country' } } } })).createChart,
    );
    const them = t.client.as((await createTenant(t.server.db)).key);
    const foreign = await them.errors(ChartDataQuery, { module: leads, configuration: { kind: 'BAR', x: { field: 'country' } } });
    expect(foreign[0]!.extensions?.code).toBe('NOT_FOUND');
    expect(foreign[0]!.message).toBe('Module not found');
    expect(await them.data(ChartById, { id: saved.id })).toEqual({ chart: null, node: null });
    expect((await them.data(Charts, {})).charts.totalCount).toBe(0);
    const create = userError(
      (await them.data(CreateChart, { input: { name: 'x', module: leads, configuration: { kind: 'BAR', x: { field: 'country' } } } })).createChart,
    );
    expect(create.issues).toEqual([expect.objectContaining({ path: ['input', 'module'], code: 'NOT_FOUND' })]);
    expect(userError((await them.data(UpdateChart, { id: saved.id, input: { name: 'stolen' } })).updateChart)).toMatchObject({
      code: 'NOT_FOUND',
      message: 'Chart not found',
    });
    expect(userError((await them.data(DeleteChart, { id: saved.id })).deleteChart)).toMatchObject({ code: 'NOT_FOUND', message: 'Chart not found' });
    expect((await api.data(ChartById, { id: saved.id })).chart?.name).toBe('Mine');
  });
});
