import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQueryString } from 'node:querystring';
import { afterEach, describe, expect, it } from 'vitest';
import { type FastAnswer, FastPaths, plainQuery } from './fast-path.js';

describe('plainQuery', () => {
  it('takes name=value pairs of plain ASCII apart as the query parser does', () => {
    for (const query of ['', 'lat=30.1&lng=104.06', 'service=hot_water,toilet&limit=5', 'a=1&a=2&a=3', 'a=&b=-1.5']) {
      expect({ ...plainQuery(query) }, query).toEqual({ ...parseQueryString(query) });
    }
  });

  it('leaves escapes, plus signs, bare names, empty pairs and stray characters to the general way', () => {
    for (const query of ['q=%E5%B7%A5', 'q=a+b', 'limit', 'a=1&&b=2', '=1', 'a=1=2', 'a=1;b=2', 'a=<x>', 'a=1&']) {
      expect(plainQuery(query), query).toBeUndefined();
    }
  });
});

describe('FastPaths', () => {
  let server: Server | undefined;
  afterEach(async () => {
    const made = server;
    server = undefined;
    if (made) await new Promise((resolve) => made.close(resolve));
  });

  /** A server made by the factory: the fast answers in front, a stand-in for Fastify behind. */
  const serve = async (paths: FastPaths) => {
    const general: string[] = [];
    server = paths.serverFactory((request, response) => {
      general.push(`${request.method} ${request.url}`);
      response.writeHead(200, { 'content-type': 'text/plain' }).end('general');
    }, { keepAliveTimeout: 5000 });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const ask = (path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
      new Promise<string>((resolve, reject) => {
        const sent = httpRequest({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers }, (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => resolve(text));
          response.on('error', reject);
          response.on('aborted', () => reject(new Error('the answer ended early')));
        });
        sent.on('error', reject);
        sent.end(options.body);
      });
    return { ask, general, server: server };
  };
  const answering = (text: string): FastAnswer => (_request, response, query) => {
    response.writeHead(200).end(`${text}:${query}`);
    return true;
  };

  it('answers its paths in front and hands everything else on, untouched', async () => {
    const paths = new FastPaths();
    paths.add('/fast', answering('fast'));
    paths.add('/declines', () => false);
    paths.add('/throws', () => {
      throw new Error('not this one');
    });
    paths.add('/later', async (_request, response) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      response.writeHead(200).end('later');
      return true;
    });
    paths.add('/declines-later', async () => false);
    paths.open();
    const { ask, general, server: made } = await serve(paths);
    expect(made.keepAliveTimeout).toBe(5000);

    expect(await ask('/fast?a=1')).toBe('fast:a=1');
    expect(await ask('/fast')).toBe('fast:');
    expect(await ask('/later')).toBe('later');
    for (const path of ['/declines', '/throws', '/declines-later', '/other', '/fast/']) expect(await ask(path), path).toBe('general');
    // Credentials, a body or another method: the general way, whatever the path.
    expect(await ask('/fast', { headers: { cookie: 'convoy_session=x' } })).toBe('general');
    expect(await ask('/fast', { headers: { authorization: 'Bearer x' } })).toBe('general');
    expect(await ask('/fast', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' })).toBe('general');
    expect(await ask('/fast', { method: 'HEAD' })).toBe('');
    expect(general).toEqual(['GET /declines', 'GET /throws', 'GET /declines-later', 'GET /other', 'GET /fast/', 'GET /fast', 'GET /fast', 'POST /fast', 'HEAD /fast']);
  });

  it('hands everything on until opened and once closing', async () => {
    const paths = new FastPaths();
    paths.add('/fast', answering('fast'));
    const { ask } = await serve(paths);
    expect(await ask('/fast')).toBe('general');
    paths.open();
    expect(await ask('/fast')).toBe('fast:');
    paths.close();
    expect(await ask('/fast')).toBe('general');
  });

  it('ends the connection of an answer that failed after it began writing, instead of answering twice', async () => {
    const paths = new FastPaths();
    paths.add('/half', async (_request, response) => {
      response.writeHead(200, { 'content-length': '10' });
      response.write('12345');
      throw new Error('failed halfway');
    });
    paths.open();
    const { ask, general } = await serve(paths);
    await expect(ask('/half')).rejects.toThrow();
    expect(general).toEqual([]);
    expect(await ask('/other')).toBe('general');
  });

  it('refuses a second answer for one path', () => {
    const paths = new FastPaths();
    paths.add('/fast', answering('a'));
    expect(() => paths.add('/fast', answering('b'))).toThrow(/already/);
  });
});
