/**
 * The client protocol of Centrifugo v4+ as far as the order channel needs it (ADR 0030): commands a client sends,
 * replies and pushes the server sends, in the two encodings Centrifugo offers on `/connection/websocket`:
 *
 * - JSON (text frames; the default, used by the Unity, Unreal, Cocos and web clients): each frame holds one or more
 *   commands separated by `\n`; `data` fields are embedded JSON values. Itemshop sends one reply per frame (SDKs
 *   written against Xsolla parse each frame as one JSON object). A ping is the frame `{}`; the client answers `{}`.
 * - Protobuf (binary frames; subprotocol `centrifuge-protobuf`, or `?format=protobuf` / `?cf_protocol=protobuf`;
 *   iOS SwiftCentrifuge, Android centrifuge-java): each frame holds varint-length-delimited `Command`s, replies are
 *   length-delimited `Reply`s, `data` fields are bytes (here: UTF-8 JSON). A ping is an empty Reply (`0x00`).
 *
 * The Protobuf schema below is Itemshop's own, written from the field numbers the protocol documents (client.proto
 * of github.com/centrifugal/protocol): only the messages and fields used here; protobufjs skips the others.
 */
import protobuf from 'protobufjs';

/** A command as both codecs hand it over. `data` fields hold the decoded JSON value (undefined when absent). */
export interface Command {
  id?: number;
  connect?: { token?: string; data?: unknown; name?: string; version?: string };
  subscribe?: { channel?: string };
  unsubscribe?: { channel?: string };
  publish?: { channel?: string; data?: unknown };
  presence?: { channel?: string };
  presence_stats?: { channel?: string };
  history?: {
    channel?: string;
    limit?: number;
    since?: { offset?: number; epoch?: string };
    reverse?: boolean;
  };
  ping?: Record<string, never>;
  send?: { data?: unknown };
  rpc?: { method?: string; data?: unknown };
  refresh?: { token?: string };
  sub_refresh?: { channel?: string; token?: string };
}

/** The methods of a command, in the protocol's field order. */
export const COMMAND_METHODS = [
  'connect',
  'subscribe',
  'unsubscribe',
  'publish',
  'presence',
  'presence_stats',
  'history',
  'ping',
  'send',
  'rpc',
  'refresh',
  'sub_refresh',
] as const;
export type CommandMethod = (typeof COMMAND_METHODS)[number];

/** A publication; `data` is a JSON value. */
export interface Publication {
  data: unknown;
  offset?: number;
}

/** Result of a subscription (here only the server-side one announced in the connect reply). */
export interface SubscribeResult {
  recoverable?: boolean;
  epoch?: string;
  offset?: number;
  publications?: Publication[];
}

/** A reply or push the server sends. */
export interface Reply {
  id?: number;
  error?: { code: number; message: string; temporary?: boolean };
  push?: { channel: string; pub: Publication };
  connect?: {
    client: string;
    version: string;
    expires?: boolean;
    subs?: Record<string, SubscribeResult>;
    /** Seconds between the server's pings. */
    ping?: number;
    /** The client must answer pings. */
    pong?: boolean;
    /** The server process the connection reached (Centrifugo's node id). */
    node?: string;
  };
  subscribe?: SubscribeResult;
  unsubscribe?: Record<string, never>;
  history?: { publications: Publication[]; epoch: string; offset: number };
  ping?: Record<string, never>;
}

/** Error codes of the protocol's error replies (Centrifugo's numbering). */
export const ErrorCode = {
  internal: 100,
  unauthorized: 101,
  unknownChannel: 102,
  permissionDenied: 103,
  methodNotFound: 104,
  alreadySubscribed: 105,
  badRequest: 107,
  notAvailable: 108,
} as const;

/** A command frame that is not valid in the connection's encoding. */
export class BadFrame extends Error {}

/** One encoding of the protocol. */
export interface Codec {
  readonly name: 'json' | 'protobuf';
  /** Commands of one received frame. @throws BadFrame */
  decode(frame: Buffer): Command[];
  /** One reply as a frame. */
  encode(reply: Reply): string | Buffer;
  /** The server's ping frame. */
  readonly ping: string | Buffer;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** JSON text frames. */
export const jsonCodec: Codec = {
  name: 'json',
  decode(frame) {
    const commands: Command[] = [];
    for (const line of frame.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new BadFrame('not JSON');
      }
      if (!isRecord(value)) throw new BadFrame('a command must be a JSON object');
      commands.push(value as Command);
    }
    return commands;
  },
  encode(reply) {
    return JSON.stringify(reply);
  },
  ping: '{}',
};

// ---------- Protobuf ----------

type FieldSpec = [type: string, id: number, rule?: 'repeated' | `map<${string}>`];

/** A protobufjs message descriptor from `{name: [type, id, rule?]}`. */
function message(fields: Record<string, FieldSpec>): protobuf.IType {
  const out: protobuf.IType['fields'] = {};
  for (const [name, [type, id, rule]] of Object.entries(fields)) {
    if (rule === 'repeated') out[name] = { type, id, rule };
    else if (rule) out[name] = { keyType: rule.slice(4, -1), type, id } as protobuf.IMapField;
    else out[name] = { type, id };
  }
  return { fields: out };
}

const channelOnly = message({ channel: ['string', 1] });
const empty = message({});

/** Itemshop's schema of the Centrifugo client protocol (field numbers as the protocol documents them). */
const SCHEMA: protobuf.INamespace = {
  nested: {
    itemshop: {
      nested: {
        realtime: {
          nested: {
            Error: message({ code: ['uint32', 1], message: ['string', 2], temporary: ['bool', 3] }),
            Command: message({
              id: ['uint32', 1],
              connect: ['ConnectRequest', 4],
              subscribe: ['SubscribeRequest', 5],
              unsubscribe: ['ChannelRequest', 6],
              publish: ['PublishRequest', 7],
              presence: ['ChannelRequest', 8],
              presence_stats: ['ChannelRequest', 9],
              history: ['HistoryRequest', 10],
              ping: ['Empty', 11],
              send: ['DataRequest', 12],
              rpc: ['RPCRequest', 13],
              refresh: ['RefreshRequest', 14],
              sub_refresh: ['SubRefreshRequest', 15],
            }),
            Reply: message({
              id: ['uint32', 1],
              error: ['Error', 2],
              push: ['Push', 4],
              connect: ['ConnectResult', 5],
              subscribe: ['SubscribeResult', 6],
              unsubscribe: ['Empty', 7],
              history: ['HistoryResult', 11],
              ping: ['Empty', 12],
            }),
            Push: message({ channel: ['string', 2], pub: ['Publication', 4] }),
            Publication: message({ data: ['bytes', 4], offset: ['uint64', 6] }),
            ConnectRequest: message({
              token: ['string', 1],
              data: ['bytes', 2],
              name: ['string', 4],
              version: ['string', 5],
            }),
            ConnectResult: message({
              client: ['string', 1],
              version: ['string', 2],
              expires: ['bool', 3],
              subs: ['SubscribeResult', 6, 'map<string>'],
              ping: ['uint32', 7],
              pong: ['bool', 8],
              node: ['string', 10],
            }),
            SubscribeRequest: message({ channel: ['string', 1], token: ['string', 2] }),
            SubscribeResult: message({
              recoverable: ['bool', 3],
              epoch: ['string', 6],
              publications: ['Publication', 7, 'repeated'],
              offset: ['uint64', 9],
            }),
            ChannelRequest: channelOnly,
            PublishRequest: message({ channel: ['string', 1], data: ['bytes', 2] }),
            StreamPosition: message({ offset: ['uint64', 1], epoch: ['string', 2] }),
            HistoryRequest: message({
              channel: ['string', 1],
              limit: ['int32', 7],
              since: ['StreamPosition', 8],
              reverse: ['bool', 9],
            }),
            HistoryResult: message({
              publications: ['Publication', 1, 'repeated'],
              epoch: ['string', 2],
              offset: ['uint64', 3],
            }),
            DataRequest: message({ data: ['bytes', 1] }),
            RPCRequest: message({ data: ['bytes', 1], method: ['string', 2] }),
            RefreshRequest: message({ token: ['string', 1] }),
            SubRefreshRequest: message({ channel: ['string', 1], token: ['string', 2] }),
            Empty: empty,
          },
        },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(SCHEMA);
const CommandType = root.lookupType('itemshop.realtime.Command');
const ReplyType = root.lookupType('itemshop.realtime.Reply');

/** Bytes holding UTF-8 JSON → the value (undefined when empty or not JSON). */
function jsonOfBytes(bytes: unknown): unknown {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return undefined;
  }
}

const jsonBytes = (value: unknown) => Buffer.from(JSON.stringify(value ?? null), 'utf8');

/** A publication with its JSON `data` as bytes. */
const pubToWire = (p: Publication) => ({
  data: jsonBytes(p.data),
  ...(p.offset ? { offset: p.offset } : {}),
});

/** Varint-length-delimited Protobuf frames. */
export const protobufCodec: Codec = {
  name: 'protobuf',
  decode(frame) {
    const commands: Command[] = [];
    const reader = protobuf.Reader.create(frame);
    try {
      while (reader.pos < reader.len) {
        const raw = CommandType.toObject(CommandType.decodeDelimited(reader), { longs: Number }) as Record<
          string,
          Record<string, unknown> | number
        >;
        for (const [key, field] of [
          ['connect', 'data'],
          ['publish', 'data'],
          ['send', 'data'],
          ['rpc', 'data'],
        ] as const) {
          const part = raw[key];
          if (part && typeof part === 'object') part[field] = jsonOfBytes(part[field]);
        }
        commands.push(raw as Command);
      }
    } catch (e) {
      throw new BadFrame(e instanceof Error ? e.message : 'not a Protobuf command');
    }
    return commands;
  },
  encode(reply) {
    const wire: Record<string, unknown> = { ...reply };
    if (reply.push) wire.push = { channel: reply.push.channel, pub: pubToWire(reply.push.pub) };
    if (reply.connect?.subs) {
      const subs: Record<string, unknown> = {};
      for (const [channel, s] of Object.entries(reply.connect.subs))
        subs[channel] = { ...s, publications: (s.publications ?? []).map(pubToWire) };
      wire.connect = { ...reply.connect, subs };
    }
    if (reply.history)
      wire.history = { ...reply.history, publications: reply.history.publications.map(pubToWire) };
    return Buffer.from(ReplyType.encodeDelimited(ReplyType.fromObject(wire)).finish());
  },
  ping: Buffer.from([0]),
};
