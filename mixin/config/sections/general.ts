import { Type } from '@sinclair/typebox';

export const generalProperties = {
  clusterLabel: Type.String({
    pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$',
    default: 'cluster',
    description:
      'The label that tells clusters apart. Every aggregation and join keeps it, so one Prometheus can watch many clusters; where it is absent it costs nothing.',
  }),
  showMultiCluster: Type.Boolean({
    default: false,
    description: 'Show the cluster variable in dashboards and name the cluster in alert descriptions.',
  }),
  runbookURLPattern: Type.String({
    pattern: '%s',
    default: 'https://github.com/metallb-mixin/metallb-mixin/blob/main/docs/runbooks.md#%s',
    description: "Where each alert's `runbook_url` points; `%s` becomes the lower-cased alert name.",
  }),
  alertLabels: Type.Record(Type.String({ pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' }), Type.String(), {
    default: {},
    description: 'Labels added to every alert, e.g. `{team: network}` for routing.',
  }),
};
