import { AckPolicy, connect, nanos, type ConsumerMessages, type JetStreamClient, type JetStreamManager, type JsMsg, type NatsConnection } from 'nats';
import { StartupError } from '../../../platform/config';
import type { Logger } from '../../../platform/logger';
import { outsideMutationScope } from '../audit-trail';
import { asBookkeeping } from './background';
import { OutboxEvent } from './entities';
import { backoffMs, DEFAULT_MAX_ATTEMPTS, handleOnce, storeDeadLetter } from './inbox';
import { eventOf, outboxSignal } from './outbox';
import { passRunner, type ConsumerNode, type ProducerNode, type Relay } from './relay';
import type { DomainEvent } from './types';

/**
 * The NATS JetStream transport (NATS_URL set):
 * - publisher: each producer's unpublished outbox rows, in seq order, to stream
 *   `<prefix>_<FAMILY>` on subject `<prefix>.<family>.<type>` with `Nats-Msg-Id` = event id (the
 *   stream's duplicate window drops a re-publish after a crash); a row is marked published on its
 *   PubAck.
 * - consumers: one durable pull consumer per (consumer, family), explicit acks; a handler failure
 *   is nak'ed with backoff; after `maxAttempts` deliveries the event is stored in the consumer's
 *   kit_dead_letter, published to `<prefix>.deadletter.<consumer>` (stream `<prefix>_DEAD_LETTERS`)
 *   and terminated. A consumer that stops without acking gets the message again after `ackWaitMs`.
 */
export interface NatsRelayOptions {
  url: string;
  prefix: string;
  pollMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  ackWaitMs: number;
  log: Logger;
}

export const streamName = (prefix: string, family: string) => `${prefix}_${family.toUpperCase().replace(/[^A-Z0-9_-]/g, '_')}`;
export const deadLetterStream = (prefix: string) => `${prefix}_DEAD_LETTERS`;
const subjectToken = (text: string) => text.replace(/[^A-Za-z0-9_.-]/g, '_');

export async function connectNats(url: string): Promise<NatsConnection> {
  try {
    return await connect({ servers: url, name: 'qinqing-events', maxReconnectAttempts: -1 });
  } catch (error) {
    throw new StartupError('NATS_URL', `cannot connect to ${url} (${(error as { code?: string }).code ?? (error as Error).message}); start NATS with \`nats-server -js\` or unset NATS_URL for the in-process relay`);
  }
}

export async function startNatsRelay(producers: ProducerNode[], consumers: ConsumerNode[], options: NatsRelayOptions): Promise<Relay> {
  const nc = await connectNats(options.url);
  const js: JetStreamClient = nc.jetstream();
  const jsm: JetStreamManager = await nc.jetstreamManager();
  const { prefix, log } = options;
  const streams = new Map<string, Promise<void>>();
  let stopped = false;

  const ensureStream = (name: string, subjects: string[]): Promise<void> => {
    if (!streams.has(name)) {
      const made = (async () => {
        try {
          await jsm.streams.info(name);
        } catch {
          await jsm.streams.add({ name, subjects, duplicate_window: nanos(2 * 60_000) });
        }
      })();
      made.catch(() => streams.delete(name));
      streams.set(name, made);
    }
    return streams.get(name)!;
  };
  const ensureFamily = (family: string) => ensureStream(streamName(prefix, family), [`${prefix}.${subjectToken(family)}.>`]);
  await ensureStream(deadLetterStream(prefix), [`${prefix}.deadletter.>`]);

  // --- publishers ---
  const publishers = producers.map((producer) => {
    const pass = async () => {
      for (;;) {
        if (stopped) return;
        const em = producer.orm.em.fork();
        const rows = await em.find(OutboxEvent, { publishedAt: null }, { orderBy: { seq: 'asc' }, limit: 200 });
        if (!rows.length) return;
        const published: number[] = [];
        try {
          for (const row of rows) {
            await ensureFamily(row.family);
            await js.publish(`${prefix}.${subjectToken(row.family)}.${subjectToken(row.type)}`, JSON.stringify(eventOf(row)), { msgID: row.id });
            published.push(Number(row.seq));
            producer.metrics.published.inc({ family: row.family });
          }
        } finally {
          if (published.length) await producer.orm.em.fork().nativeUpdate(OutboxEvent, { seq: { $in: published } }, { publishedAt: new Date() });
        }
        if (rows.length < 200) return;
      }
    };
    const runner = passRunner(pass, () => stopped, (error) => log.error('event publisher pass failed', { producer: producer.name, error }));
    const trigger = runner.trigger;
    const onSignal = (name: string) => {
      if (name === producer.name) void trigger();
    };
    outboxSignal.on('commit', onSignal);
    const timer = setInterval(runner.poll, options.pollMs);
    timer.unref();
    producer.metrics.watchPending(() => asBookkeeping(() => producer.orm.em.fork().count(OutboxEvent, { publishedAt: null })));
    void trigger();
    return {
      trigger,
      async stop() {
        outboxSignal.off('commit', onSignal);
        clearInterval(timer);
        await runner.running();
      },
    };
  });

  // --- consumers ---
  const handle = async (node: ConsumerNode, msg: JsMsg) => {
    const { consumer } = node;
    let event: DomainEvent;
    try {
      event = JSON.parse(msg.string()) as DomainEvent;
    } catch {
      log.error('event is not JSON: terminated', { consumer: consumer.name, subject: msg.subject });
      msg.term('not JSON');
      return;
    }
    try {
      const outcome = await handleOnce(node.orm, consumer, event, node.services);
      node.metrics[outcome === 'handled' ? 'delivered' : 'duplicates'].inc({ consumer: consumer.name });
      await msg.ackAck().catch(() => msg.ack());
    } catch (error) {
      const attempts = msg.info.deliveryCount;
      const maxAttempts = consumer.maxAttempts ?? options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
      if (attempts >= maxAttempts) {
        await storeDeadLetter(node.orm, consumer, event, attempts, error);
        node.metrics.deadLettered.inc({ consumer: consumer.name });
        await js.publish(`${prefix}.deadletter.${subjectToken(consumer.name)}`, JSON.stringify({ consumer: consumer.name, attempts, event }), { msgID: `${consumer.name}:${event.id}` });
        msg.term('dead-lettered');
        log.error('event dead-lettered', { consumer: consumer.name, eventId: event.id, type: event.type, attempts, error });
      } else {
        node.metrics.redelivered.inc({ consumer: consumer.name });
        msg.nak(backoffMs(attempts, options.retryBaseMs));
        log.warn('event handler failed: will retry', { consumer: consumer.name, eventId: event.id, type: event.type, attempts, error });
      }
    }
  };

  const subscriptions: { messages: ConsumerMessages; done: Promise<void> }[] = [];
  for (const node of consumers) {
    for (const family of node.consumer.families) {
      await ensureFamily(family);
      const stream = streamName(prefix, family);
      const config = {
        durable_name: node.consumer.name,
        ack_policy: AckPolicy.Explicit,
        ack_wait: nanos(options.ackWaitMs),
        max_deliver: -1,
        filter_subject: `${prefix}.${subjectToken(family)}.>`,
      };
      try {
        await jsm.consumers.info(stream, node.consumer.name);
        await jsm.consumers.update(stream, node.consumer.name, { ack_wait: config.ack_wait });
      } catch {
        await jsm.consumers.add(stream, config);
      }
      const pull = await js.consumers.get(stream, node.consumer.name);
      const messages = await pull.consume({ max_messages: 50 });
      const done = outsideMutationScope(async () => {
        for await (const msg of messages) {
          if (stopped) break;
          await handle(node, msg).catch((error) => log.error('event consumer failed', { consumer: node.consumer.name, error }));
        }
      });
      subscriptions.push({ messages, done });
    }
  }

  return {
    async runOnce() {
      await Promise.all(publishers.map((p) => p.trigger()));
    },
    async stop() {
      stopped = true;
      for (const s of subscriptions) s.messages.stop();
      await Promise.all(publishers.map((p) => p.stop()));
      await Promise.all(subscriptions.map((s) => s.done));
      await nc.drain().catch(() => undefined);
    },
  };
}
