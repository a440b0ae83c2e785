// What participants hear, through the notification outbox, in the transaction of the change itself.
import type { Kysely } from 'kysely';
import { chinaTime } from '../../core/clock.js';
import type { Bilingual } from '../../core/i18n.js';
import type { Database } from '../../db/tables.js';
import { enqueueNotifications } from '../notifications/notifications.operations.js';

type Db = Kysely<Database>;
type About = { title: string; startsAt: string; address: string | null; stationId: number | null };

export type ActivityNotice = 'activity.promoted' | 'activity.changed' | 'activity.cancelled' | 'activity.reminder';

function placeOf(a: About): Bilingual {
  if (a.address) return { zh: a.address, en: a.address };
  return { zh: `服务站点 #${a.stationId ?? '?'}`, en: `station #${a.stationId ?? '?'}` };
}

function textOf(kind: ActivityNotice, a: About, extra: string | null): { title: Bilingual; body: Bilingual } {
  const when = chinaTime(a.startsAt);
  const place = placeOf(a);
  switch (kind) {
    case 'activity.promoted':
      return {
        title: { zh: `候补成功：${a.title}`, en: `You have a place: ${a.title}` },
        body: { zh: `有人取消了报名，您已从候补转为正式报名。时间：${when}，地点：${place.zh}。`, en: `Someone cancelled, so your place is confirmed. When: ${when} (China time). Where: ${place.en}.` },
      };
    case 'activity.changed':
      return {
        title: { zh: `活动有变更：${a.title}`, en: `Activity changed: ${a.title}` },
        body: { zh: `活动的时间或地点已更新。现在的时间：${when}，地点：${place.zh}。`, en: `The time or place has changed. Now: ${when} (China time) at ${place.en}.` },
      };
    case 'activity.cancelled':
      return {
        title: { zh: `活动已取消：${a.title}`, en: `Activity cancelled: ${a.title}` },
        body: { zh: `原定 ${when} 的活动已取消。原因：${extra ?? '未说明'}`, en: `The activity planned for ${when} (China time) is cancelled. Reason: ${extra ?? 'not given'}` },
      };
    case 'activity.reminder':
      return {
        title: { zh: `明天的活动：${a.title}`, en: `Tomorrow: ${a.title}` },
        body: { zh: `提醒您：活动将于 ${when} 开始，地点：${place.zh}。到场后扫码签到；去不了请在手机上取消，把名额留给别人。`, en: `A reminder: it starts at ${when} (China time) at ${place.en}. Scan the code there to check in; if you cannot come, cancel on your phone so someone else gets the place.` },
      };
  }
}

/**
 * One notification per user about one activity. Called once per activity (enqueueNotifications writes
 * the same user and kind once per call, and it keys by appeal, which activities do not have).
 */
export async function notifyParticipants(db: Db, userIds: readonly (number | null)[], kind: ActivityNotice, about: About, now: Date, extra: string | null = null): Promise<void> {
  const text = textOf(kind, about, extra);
  const items = [...new Set(userIds.filter((id): id is number => id !== null))].map((userId) => ({ userId, kind, appealId: null, ...text }));
  await enqueueNotifications(db, items, now);
}
