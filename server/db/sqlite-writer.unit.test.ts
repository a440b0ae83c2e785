// The writer's turns: one holder at a time, in the order asked, but for one who asks to go first (the WAL
// checkpointer's pause), which comes right after the holder; a turn handed back twice is handed on once.
import { expect, it } from 'vitest';
import { Turns } from './sqlite-writer.js';

const newTurns = () => new Turns(new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT)));

it('gives the turn in the order asked, and to one asking first right after the holder', async () => {
  const turns = newTurns();
  const order: string[] = [];
  const release = await turns.take(false);
  const asked = (name: string, first = false) =>
    turns.take(false, { first }).then((done) => {
      order.push(name);
      done();
    });
  const all = [asked('a'), asked('b'), asked('pause', true), asked('c')];
  await expect.poll(() => turns.waiting).toBe(4);
  expect(turns.held).toBe(true);
  release();
  await Promise.all(all);
  expect(order).toEqual(['pause', 'a', 'b', 'c']);
  expect(turns.held).toBe(false);
  expect(turns.waiting).toBe(0);
});

it('hands a turn given back twice on once', async () => {
  const turns = newTurns();
  const release = await turns.take(false);
  const order: string[] = [];
  const second = turns.take(false).then((done) => {
    order.push('second');
    return done;
  });
  const third = turns.take(false).then((done) => {
    order.push('third');
    done();
  });
  release();
  release();
  const releaseSecond = await second;
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(order).toEqual(['second']);
  releaseSecond();
  await third;
  expect(order).toEqual(['second', 'third']);
});
