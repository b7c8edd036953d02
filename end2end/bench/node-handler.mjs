// The Node.js baseline of `cargo xtask bench`: what most teams would write instead of Stratus.
// A Lambda handler with @aws-sdk/client-dynamodb doing the same get, list (100 posts with their
// blog and tags: a Query and two BatchGetItem) and create as the bare axum baseline
// (server/src/bin/bench/baseline.rs), on Stratus's own tables. It runs two ways: served over
// HTTP by node-baseline.mjs, beside Stratus's local server; and bundled (esbuild) as a Lambda
// behind a Function URL in the local cloud, beside Stratus's deployed function.
//
// Environment: STRATUS_TABLE_PREFIX, and the usual AWS_* variables (region, endpoint,
// credentials).

import { randomUUID } from 'node:crypto';
import { BatchGetItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

const prefix = process.env.STRATUS_TABLE_PREFIX ?? 'stratus-';
const tables = { post: `${prefix}Post`, blog: `${prefix}Blog`, tag: `${prefix}Tag` };
const dynamodb = new DynamoDBClient({ endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB });

const ok = (value) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });

async function get({ id }) {
  const out = await dynamodb.send(new GetItemCommand({ TableName: tables.post, Key: marshall({ id }) }));
  return ok(out.Item ? unmarshall(out.Item) : null);
}

async function batchGet(table, ids) {
  if (ids.length === 0) return new Map();
  const out = await dynamodb.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: ids.map((id) => marshall({ id })) } } }));
  return new Map((out.Responses?.[table] ?? []).map(unmarshall).map((item) => [item.id, item]));
}

async function list({ blogId }) {
  const out = await dynamodb.send(
    new QueryCommand({
      TableName: tables.post,
      IndexName: 'byBlog',
      KeyConditionExpression: 'blogId = :blog',
      ExpressionAttributeValues: marshall({ ':blog': blogId }),
      Limit: 100,
    }),
  );
  const posts = (out.Items ?? []).map((item) => unmarshall(item));
  const tagIds = [...new Set(posts.flatMap((post) => [...(post._links_tags ?? [])]))];
  const [blogs, tags] = await Promise.all([batchGet(tables.blog, [blogId]), batchGet(tables.tag, tagIds)]);
  const blog = blogs.get(blogId) ?? null;
  return ok(posts.map((post) => ({ ...post, _links_tags: undefined, blog, tags: [...(post._links_tags ?? [])].map((id) => tags.get(id)).filter(Boolean) })));
}

async function create({ blogId, title, body }) {
  const now = new Date().toISOString();
  // It writes to Stratus's table: leave an item Stratus can read.
  const item = { id: randomUUID(), blogId, title, body, status: 'DRAFT', createdAt: now, updatedAt: now, _version: 1 };
  await dynamodb.send(new PutItemCommand({ TableName: tables.post, Item: marshall(item) }));
  return ok(item);
}

// /health answers without DynamoDB, like Stratus's /config.json: the cold start's first answer.
const routes = { '/get': get, '/list': list, '/create': create, '/health': async () => ok({}) };

export async function handler(event) {
  const route = routes[event.rawPath];
  if (!route) return { statusCode: 404, body: 'not found' };
  let input;
  try {
    input = JSON.parse(event.body ?? '');
  } catch {
    return { statusCode: 400, body: 'the body is not JSON' };
  }
  try {
    return await route(input);
  } catch (error) {
    return { statusCode: 503, body: String(error) };
  }
}
