/**
 * An OpenTelemetry set-up as an operator would preload it (`node --import ./otel-setup.mjs …`),
 * for ../node-entry.test.ts: a tracer provider and Node's context manager, registered before
 * the token server starts, writing every finished span as a JSON line to OTEL_TEST_SPANS_FILE
 * (a real deployment would use an OTLP exporter instead).
 */
import { appendFileSync } from 'node:fs';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

const file = process.env.OTEL_TEST_SPANS_FILE;
if (!file) throw new Error('otel-setup.mjs: set OTEL_TEST_SPANS_FILE');

/** @type {import('@opentelemetry/sdk-trace-base').SpanExporter} */
const toFile = {
  export(spans, done) {
    for (const span of spans) {
      const { traceId, spanId } = span.spanContext();
      appendFileSync(file, `${JSON.stringify({ name: span.name, kind: span.kind, traceId, spanId, parentSpanId: span.parentSpanContext?.spanId, attributes: span.attributes })}\n`);
    }
    done({ code: 0 });
  },
  async shutdown() {},
};

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(toFile)] }));
