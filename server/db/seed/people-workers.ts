// Workers served by the mobile branches: names, phones, platforms, vehicles, consent, search tokens.
import { chinaDate } from '../../core/clock.js';
import type { Vehicle } from '../tables.js';
import { type Gender, personName, randomGender } from './chinese-names.js';
import { demoLogins } from './demo-accounts.js';
import { timeOn } from './org-world.js';
import { seedPlatforms } from './platforms.js';
import { Random, addDays, epochDay, weightedPicker } from './random.js';
import { CONSENT_PURPOSE, CONSENT_VERSION, consentChannelWeights, consentChannels, maleShareOf, sortKeyOf, uniquePhone, vehiclesByPlatform, vehiclesByWorkType, workerIdPrefix } from './people-vocabulary.js';
import { type Branch, CHUNK, type PeopleInput, type WorkerFacts, type WorkerRow, moveStagedGrams, nextId, syncSequence, workerColumns, writeChunk } from './people-parts.js';

export async function seedWorkers(input: PeopleInput, branches: Branch[], anchor: Branch | undefined, phones: Set<number>): Promise<WorkerFacts> {
  const { db, codec, now, scale } = input;
  const rng = Random.stream(input.seed, 'people:workers');
  const today = chinaDate(now);
  const yesterday = addDays(today, -1);
  const firstDay = addDays(today, -3 * 365);
  const firstId = await nextId(db, 'workers');
  const count = scale.workers;
  const facts: WorkerFacts = {
    firstId,
    count,
    branch: new Int32Array(count),
    reachable: new Uint8Array(count),
    male: new Uint8Array(count),
    phone: new Float64Array(count),
    name: new Array<string>(count),
    createdDay: new Int32Array(count),
  };
  // Branches differ in size: the busiest serve about three times as many workers as the quietest.
  const pickBranch = weightedPicker(branches, branches.map(() => 0.5 + rng.next()));
  const vehiclePickers = new Map<string, (r: Random) => Vehicle>();
  const vehicleOf = (branch: Branch) => {
    let pick = vehiclePickers.get(branch.platformCode);
    if (!pick) {
      const choice = vehiclesByPlatform[branch.platformCode] ?? vehiclesByWorkType[branch.workType];
      pick = weightedPicker(choice.items, choice.weights);
      vehiclePickers.set(branch.platformCode, pick);
    }
    return pick(rng);
  };
  // Platform worker ids: the platform's initials and a number that grows by small random steps.
  const workerNumbers = new Map(seedPlatforms.map((p) => [p.code, rng.int(1_000_000, 3_000_000)]));
  const pickChannel = weightedPicker(consentChannels, consentChannelWeights);
  const driverName = demoLogins.find((l) => l.username === 'driver')?.displayName ?? '王海涛';

  let writeMs = 0;
  let rows: WorkerRow[] = [];
  for (let i = 0; i < count; i++) {
    const id = firstId + i;
    // The demo driver comes first, in the demo secretary's branch, active and consenting.
    const isDriver = i === 0 && anchor !== undefined;
    const branch = isDriver && anchor ? anchor : pickBranch(rng);
    const gender: Gender = isDriver ? 'male' : randomGender(rng, maleShareOf[branch.workType]);
    const name = isDriver ? driverName : personName(rng, gender);
    const phone = uniquePhone(rng, phones);
    const number = (workerNumbers.get(branch.platformCode) as number) + rng.int(1, 9);
    workerNumbers.set(branch.platformCode, number);
    const earliest = branch.unit.establishedOn > firstDay ? branch.unit.establishedOn : firstDay;
    const createdOn = rng.dateBetween(earliest, yesterday);
    const createdAt = timeOn(createdOn, rng);
    const active = isDriver || rng.chance(0.95);
    const consented = isDriver || rng.chance(0.9);
    const consentAt = consented ? timeOn(rng.dateBetween(createdOn > '2026-10-01' ? createdOn : '2026-10-01', yesterday), rng) : null;
    const withdrawnAt = consentAt !== null && !isDriver && rng.chance(0.006) ? timeOn(rng.dateBetween(consentAt.slice(0, 10), yesterday), rng) : null;
    const updatedAt = [createdAt, consentAt ?? '', withdrawnAt ?? ''].reduce((a, b) => (b > a ? b : a));
    rows.push({
      id,
      name,
      nameSort: sortKeyOf(name),
      phoneEnc: codec.encrypt(phone),
      phoneHash: codec.hash(phone),
      phoneTail: phone.slice(-4),
      platformId: branch.unit.platformId,
      platformWorkerId: `${workerIdPrefix[branch.platformCode] ?? branch.platformCode.toUpperCase()}${number}`,
      workType: branch.workType,
      vehicle: vehicleOf(branch),
      cityCode: branch.city.code,
      unitId: branch.unit.id,
      unitPath: branch.unit.path,
      status: active ? 'active' : 'inactive',
      userId: isDriver ? (input.users?.driver ?? null) : null,
      consentVersion: consentAt ? CONSENT_VERSION : null,
      consentPurpose: consentAt ? CONSENT_PURPOSE : null,
      consentAt,
      consentChannel: consentAt ? (isDriver ? 'mobile_page' : pickChannel(rng)) : null,
      consentWithdrawnAt: withdrawnAt,
      createdAt,
      updatedAt,
    });
    branch.workers.push(id);
    facts.branch[i] = branch.index;
    facts.reachable[i] = active && withdrawnAt === null ? 1 : 0;
    facts.male[i] = gender === 'male' ? 1 : 0;
    facts.phone[i] = Number(phone);
    facts.name[i] = name;
    facts.createdDay[i] = epochDay(createdOn);
    if (rows.length === CHUNK || i === count - 1) {
      const writing = performance.now();
      await writeChunk(input, 'workers', workerColumns, rows);
      writeMs += performance.now() - writing;
      rows = [];
    }
  }
  const moving = performance.now();
  await moveStagedGrams(input, 'workers');
  writeMs += performance.now() - moving;
  await syncSequence(db, 'workers');
  if (input.timings) input.timings['people:workers:write'] = Math.round(writeMs);
  if (anchor && input.users?.driver !== undefined && count > 0) {
    await db.updateTable('users').set({ workerId: firstId }).where('id', '=', input.users.driver).execute();
  }
  return facts;
}
