import { Type } from '@sinclair/typebox';
import { Section } from './common.js';

export const dashboardsSection = Section(
  {
    titlePrefix: Type.String({ default: 'MetalLB / ', description: 'Prefix of every dashboard title.' }),
    uidPrefix: Type.String({
      pattern: '^[a-zA-Z0-9_-]*$',
      maxLength: 24,
      default: 'metallb-',
      description: 'Prefix of every dashboard uid (`<prefix><name>`, e.g. `metallb-overview`).',
    }),
    uids: Type.Record(Type.String(), Type.String({ pattern: '^[a-zA-Z0-9_-]{1,40}$' }), {
      default: {},
      description: 'Uid overrides by dashboard file name, e.g. `{"metallb-overview.json": "abc123"}`.',
    }),
    tags: Type.Array(Type.String({ minLength: 1 }), {
      default: ['metallb-mixin'],
      description: 'Tags of every dashboard; the dashboards link dropdown finds the set by these.',
    }),
    refresh: Type.String({ default: '30s', description: 'Auto-refresh interval.' }),
    timezone: Type.String({ default: 'utc', description: 'Dashboard timezone (`utc`, `browser`, or an IANA name).' }),
    from: Type.String({ default: 'now-1h', description: 'Default start of the time range.' }),
    datasource: Section(
      {
        name: Type.String({ default: 'default', description: 'Data source selected by default.' }),
        regex: Type.String({ default: '', description: 'Regex that filters the data sources offered.' }),
      },
      'The `datasource` variable.',
    ),
  },
  'Grafana dashboard options.',
);
