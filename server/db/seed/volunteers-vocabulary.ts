// Words of the demo's volunteering: team themes by kind of work, what volunteers did, vanguard posts and
// their duties, the communities whose grids workers serve. Invented, in the style of public reports.
import type { VanguardKind } from '../tables-volunteers.js';
import type { WorkType } from '../tables.js';

/** The part in quotes of a team's name, e.g. 青禾出行成都“爱心车队”志愿服务队. */
export const teamThemes: Record<WorkType, readonly string[]> = {
  ride_hailing: ['爱心车队', '红色车队', '暖心送考车队', '的哥的姐护航队'],
  delivery: ['骑士驿站', '小蜜蜂', '暖蜂骑手', '城市守护骑士'],
  freight: ['货车司机互助队', '卡友互助队', '平安货运'],
  courier: ['小哥服务队', '邻里快递员'],
  other: ['安心代驾', '夜归护航'],
};

/** A 互助队 (truck drivers' mutual-aid team) is named as it is; every other team is a 志愿服务队. */
export function teamNameOf(platform: string, city: string, theme: string): string {
  return theme.endsWith('互助队') ? `${platform}${city}“${theme}”` : `${platform}${city}“${theme}”志愿服务队`;
}

export const teamDescriptions: readonly string[] = [
  '由支部党员带头、平台劳动者自愿参加，利用接单间隙开展便民志愿服务。',
  '党员骨干牵头，吸收新就业群体劳动者加入，常态化开展爱心接送、应急救助和文明劝导。',
  '队员来自不同平台和站点，不论是否党员，都可以报名参加，服务时长可兑换驿站积分。',
  '聚焦高考送考、老人就医、恶劣天气应急保障等场景，每月固定开展一次集中服务。',
];

export const serviceByWorkType: Record<WorkType, readonly string[]> = {
  ride_hailing: ['爱心送考：免费接送高考考生', '为行动不便的老人提供免费就医接送', '机场夜间运力保障志愿服务', '雨雪天气为环卫工人免费摆渡'],
  delivery: ['骑手随手拍：上报道路积水和井盖缺失', '协助社区排查消防通道堵塞', '在商圈开展外卖文明骑行劝导', '为独居老人顺路送菜上门'],
  freight: ['为受灾地区义务运送救援物资', '在物流园开展货车安全互检', '帮助抛锚的卡友处理车辆故障', '向新司机讲解装载加固要点'],
  courier: ['为社区老人代收代寄快递', '开展快递包装回收宣传', '协助网点整理爱心物资', '帮助社区张贴防诈骗宣传海报'],
  other: ['夜间安全护送醉酒乘客回家', '在夜市周边开展酒驾危害宣传', '为代驾新人讲解夜间安全常识', '协助交警开展文明出行劝导'],
};

export const generalService: readonly string[] = [
  '在驿站为户外劳动者送清凉（绿豆汤、藿香正气水）',
  '参加社区反诈宣传，发放宣传资料',
  '参与道路积水处置，引导车辆绕行',
  '春运期间在火车站义务接送旅客',
  '参加交通安全宣讲进站点活动',
  '帮助新入行的劳动者熟悉平台规则和权益保障渠道',
  '为环卫工人送早餐',
  '参加无偿献血志愿活动',
  '协助驿站整理图书角和急救箱',
  '参与城市文明交通劝导',
];

export const rejectReasons: readonly string[] = [
  '日期与活动签到不符，请核对后重新登记',
  '时长超出活动实际时长，请按实际时长重新登记',
  '与另一条记录重复',
];

export const hourChoices: readonly number[] = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8];
export const hourWeights: readonly number[] = [10, 8, 20, 10, 18, 14, 6, 6, 3];

export const vanguardKinds: readonly VanguardKind[] = ['safety', 'service', 'mutual_aid', 'civility', 'other'];

export function postTitleOf(kind: VanguardKind, workType: WorkType): string {
  const riding = workType === 'delivery' || workType === 'courier';
  switch (kind) {
    case 'safety':
      return riding ? '安全骑行先锋岗' : '安全驾驶先锋岗';
    case 'service':
      return '暖心服务先锋岗';
    case 'mutual_aid':
      return '互助帮扶先锋岗';
    case 'civility':
      return '文明出行先锋岗';
    default:
      return '诚信服务先锋岗';
  }
}

export const postDuties: Record<VanguardKind, string> = {
  safety: '带头遵守交通法规，零违章零事故；每月向新入行劳动者讲一次安全课；发现安全隐患及时上报。',
  service: '带头优质服务，耐心对待每一位乘客或顾客；帮助身边劳动者解决投诉和评价中的难题。',
  mutual_aid: '关心身边劳动者的困难，遇到车辆故障、意外受伤、家庭变故时组织帮扶，及时把诉求反映给支部。',
  civility: '带头文明出行、规范停放，劝导不文明行为，参与城市文明创建志愿服务。',
  other: '带头诚信经营，不刷单不绕路，维护平台劳动者群体的良好形象。',
};

export const endReasons: readonly string[] = ['任期届满', '外出务工，离开本地', '转入其他支部', '换岗轮值'];

export const communities: readonly string[] = [
  '玉林社区', '望江路社区', '桐梓林社区', '光华社区', '金沙社区', '府青路社区', '双楠社区', '新鸿社区',
  '东湖社区', '滨江社区', '和平社区', '新华社区', '幸福社区', '建设路社区', '花园社区', '文化路社区',
];
