// Group commit for SQLite (issue 6). A COMMIT writes every page its transaction changed to the WAL and
// syncs it, on the event loop (better-sqlite3 is synchronous): filing an appeal at 10k workers, 1.1 ms of
// its ~2 ms (0.5 ms without the sync), while its statements take ~0.5 ms. So a transaction that ends does
// not commit at once: it leaves the SQLite transaction open and the COMMIT for the next turn of the event
// loop. Requests that arrived meanwhile begin their transactions inside it, each under a savepoint, and one
// COMMIT (one sync, and the pages they share: the b-trees' upper levels and right edges, today's counts)
// serves them all. Nobody is answered before that COMMIT, so what a caller was told is stored stays
// stored; a member that fails is rolled back to its savepoint alone, and it too waits for the COMMIT, so
// that whatever it saw of earlier members (an idempotency key they took, say) is committed when it goes
// on. Alone, a transaction is BEGIN IMMEDIATE … COMMIT as before, its COMMIT one event-loop turn later.
// Where the server syncs the WAL itself (db/wal-sync.ts), "that COMMIT" means the COMMIT and the sync after
// it: the members are answered once both are done, while the writer already serves the next group.
import { noWalSync, type WalDurability } from './wal-sync.js';

/** The most transactions one COMMIT serves, and the longest the first of them waits for others to join. */
export const GROUP_LIMITS = { members: 16, ms: 10 };

const SAVEPOINT = 'convoy_group_member';

type Pending = { resolve: () => void; reject: (error: unknown) => void };

/** How a transaction is part of the group: it began it (BEGIN IMMEDIATE), or joined it (a savepoint). */
export type Membership = 'first' | 'joined';

export class CommitGroup {
  /** The writer's transaction is the group's: begun by a member and not yet committed. */
  #open = false;
  #waitingSince = 0;
  /** Members that joined or began a group so far: the last of them commits it. */
  #joins = 0;
  #pending: Pending[] = [];
  /** Runs a statement on the writer (retrying while another connection holds the lock); a member passes its connection's, which Kysely logs. */
  readonly #run: (sql: string) => Promise<void>;
  readonly #inTransaction: () => boolean;
  readonly #durability: WalDurability;

  constructor(run: (sql: string) => Promise<void>, inTransaction: () => boolean, durability: WalDurability = noWalSync) {
    this.#run = run;
    this.#inTransaction = inTransaction;
    this.#durability = durability;
  }

  get open(): boolean {
    return this.#open;
  }

  /** A transaction begins (its caller holds the writer's turn). */
  async join(run = this.#run): Promise<Membership> {
    this.#joins += 1;
    if (this.#open && this.#inTransaction()) {
      await run(`savepoint ${SAVEPOINT}`);
      return 'joined';
    }
    // A group whose transaction ended outside it (it should not happen) must not leave its members waiting.
    if (this.#pending.length > 0) this.#fail(new Error('The transaction these were committed in ended before its COMMIT; nothing of it was stored'));
    this.#open = false;
    await run('begin immediate');
    this.#open = true;
    return 'first';
  }

  /**
   * A member ends (its caller holds the turn). While the group has room, the member hands its turn on and
   * waits (`until`) for the COMMIT: on the next turn of the event loop, if nobody joined after it
   * (`isLast`), it commits for all; else a later member does. A member that finds the group full commits now,
   * and waits (`until`) for what follows the COMMIT like the others.
   */
  async leave(membership: Membership, how: 'commit' | 'rollback', run = this.#run): Promise<{ until: Promise<void>; ticket: number } | null> {
    if (how === 'rollback' && membership === 'first') {
      // The first member ends before any other joins: the transaction holds nothing else, as without groups.
      this.#open = false;
      if (this.#inTransaction()) await run('rollback');
      return null;
    }
    if (how === 'rollback' && this.#inTransaction()) {
      try {
        await run(`rollback to ${SAVEPOINT}`);
      } catch (error) {
        // Its changes could not be undone alone: none of the group's may be committed with them.
        await run('rollback').catch(() => undefined);
        this.#fail(error);
        return null;
      }
    }
    // SQLite rolled everything back by itself (SQLITE_FULL, an I/O error…): the members before lost their work too.
    if (!this.#inTransaction()) {
      this.#fail(new Error('SQLite rolled back the transaction this one was committed in; nothing of it was stored'));
      return null;
    }
    if (membership === 'joined') await run(`release ${SAVEPOINT}`);
    // The first to wait for the COMMIT waits longest: the group's age counts from when it left.
    const room = this.#pending.length === 0 || (this.#pending.length + 1 < GROUP_LIMITS.members && performance.now() - this.#waitingSince < GROUP_LIMITS.ms);
    if (this.#pending.length === 0) this.#waitingSince = performance.now();
    const until = new Promise<void>((resolve, reject) => this.#pending.push({ resolve, reject }));
    if (room) return { until, ticket: this.#joins };
    // A COMMIT that fails throws here as well: `until` says the same to nobody.
    until.catch(() => undefined);
    await this.commit(run);
    return { until, ticket: this.#joins };
  }

  /** Whether the member that left with this ticket is still the group's last (nobody joined since). */
  isLast(ticket: number): boolean {
    return this.#open && this.#joins === ticket;
  }

  /**
   * Commits the group now, if one is open (its caller holds the turn): before a statement outside it. Its
   * members are answered once the COMMIT is durable; the caller need not wait for that to hand the turn on.
   */
  async commit(run = this.#run): Promise<void> {
    if (!this.#open) return;
    // Nobody joins meanwhile: joining needs the turn, which the caller holds.
    try {
      if (this.#inTransaction()) await run('commit');
    } catch (error) {
      // A COMMIT that failed leaves the transaction open: none of the members is stored.
      if (this.#inTransaction()) await run('rollback').catch(() => undefined);
      this.#fail(error);
      throw error;
    }
    this.#open = false;
    const members = this.#pending;
    this.#pending = [];
    this.#durability.committed();
    this.#durability.synced().then(
      () => {
        for (const member of members) member.resolve();
      },
      (error: unknown) => {
        for (const member of members) member.reject(error);
      },
    );
  }

  #fail(error: unknown): void {
    this.#open = false;
    const members = this.#pending;
    this.#pending = [];
    for (const member of members) member.reject(error);
  }
}
