import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed resolvers from schema/*.graphql. The output is checked in so a fresh clone builds without
 * running codegen; `npm test` fails when it is out of date (scripts/check-codegen.ts).
 */
const config: CodegenConfig = {
  schema: 'schema/*.graphql',
  generates: {
    'src/graphql/generated/resolvers-types.ts': {
      plugins: [
        { add: { content: "import type { TimeSpec } from '../../core/time.js';\nimport type { Decimal } from 'decimal.js';" } },
        'typescript',
        'typescript-resolvers',
      ],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        contextType: '../context.js#GatewayContext',
        mappers: {
          Series: '../../core/series.js#Series as SeriesModel',
          Source: '../../sources/source.js#MetricSource as SourceModel',
          MetricDescriptor: '../../sources/source.js#MetricDescriptor as MetricDescriptorModel',
          Label: '../mappers.js#LabelModel',
          Point: '../mappers.js#PointModel',
          AggregateGroup: '../mappers.js#AggregateGroupModel',
          Trend: '../mappers.js#TrendModel',
          MetricStreamEvent: '../mappers.js#MetricStreamEventModel',
          Allocation: '../mappers.js#AllocationModel',
          AllocationDay: '../mappers.js#AllocationDayModel',
          AllocationShare: '../mappers.js#AllocationShareModel',
          Anomaly: '../../core/anomalies.js#Anomaly as AnomalyModel',
          ForecastPoint: '../../core/forecast.js#ForecastPoint as ForecastPointModel',
        },
        scalars: {
          Time: { input: 'TimeSpec', output: 'Date | number | string' },
          Duration: { input: 'number', output: 'number | string' },
          JSON: 'unknown',
          Decimal: { input: 'Decimal', output: 'Decimal | string' },
        },
        maybeValue: 'T | null',
        inputMaybeValue: 'T | null | undefined',
      },
    },
  },
};

export default config;
