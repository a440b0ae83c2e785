// Words for the demo's activities: titles and descriptions as branches and committees write them,
// the places they are held, and why some are called off. Venues are addresses only: the stations
// table is seeded in a parallel step and activities do not link to it yet.
import type { ActivityKind } from '../tables-activities.js';

export type KindWords = {
  titles: readonly string[];
  description: string;
  venues: readonly string[];
  /** Start hour in China time, and length in minutes. */
  hours: readonly number[];
  minutes: number;
  /** Seats: none for branch meetings (every member is expected). */
  capacity: [number, number] | null;
};

export const kindWords: Record<ActivityKind, KindWords> = {
  health_check: {
    titles: ['免费体检进司机之家', '“健康守护”免费体检', '货车司机职业健康筛查', '骑手颈腰椎义诊', '夏季防暑健康体检'],
    description: '由合作医院提供血压、血糖、心电图和颈腰椎检查，凭手机号到场即可，结果当场解读。',
    venues: ['司机之家', '户外劳动者服务站', '社区卫生服务中心'],
    hours: [9, 9, 10, 14],
    minutes: 180,
    capacity: [30, 60],
  },
  training: {
    titles: ['新就业群体“赋能大讲堂”', '交通安全与应急救护培训', '平台规则与劳动权益讲座', '新能源车辆维护课堂', '电动车消防安全培训'],
    description: '请平台、交警和律师讲解规则变化、安全驾驶和权益保障，现场答疑，提供茶歇。',
    venues: ['党群服务中心', '司机之家', '物流园培训室'],
    hours: [14, 15, 19],
    minutes: 120,
    capacity: [40, 100],
  },
  themed_day: {
    titles: ['交通安全主题日', '“骑手友好”社区开放日', '货车司机节主题活动', '“暖心驿站”服务日', '防诈骗宣传主题日'],
    description: '设置咨询台、体验区和互动问答，现场发放安全手册和清凉用品。',
    venues: ['社区广场', '户外劳动者服务站', '物流园'],
    hours: [10, 14, 15],
    minutes: 150,
    capacity: [30, 80],
  },
  film_screening: {
    titles: ['露天电影放映', '司机之家周末电影夜', '红色经典电影展映', '“光影同行”电影放映'],
    description: '露天放映，提供座椅和饮用水，可带家人一同观看。',
    venues: ['司机之家停车场', '社区广场', '物流园'],
    hours: [19, 20],
    minutes: 120,
    capacity: [80, 150],
  },
  volunteer_service: {
    titles: ['爱心送清凉志愿服务', '冬日送温暖志愿服务', '“小哥帮帮团”社区志愿服务', '文明交通劝导志愿服务'],
    description: '志愿者在服务站点发放饮用水、药品和防护用品，欢迎劳动者报名一起参加。',
    venues: ['户外劳动者服务站', '社区广场', '地铁站口'],
    hours: [8, 10, 16],
    minutes: 180,
    capacity: [10, 25],
  },
  care_visit: {
    titles: ['走访慰问货车司机', '走访慰问困难骑手家庭', '春节前走访慰问一线劳动者', '高温天气一线走访慰问'],
    description: '党员和志愿者分组走访，了解困难和诉求，送去慰问品，需要帮助的当场登记。',
    venues: ['物流园', '司机之家', '城中村集中居住点'],
    hours: [9, 14],
    minutes: 180,
    capacity: [15, 30],
  },
  branch_meeting: {
    titles: ['支部主题党日', '支部党员大会', '三会一课：专题党课', '支部主题党日：学习安全生产法', '组织生活会'],
    description: '本支部党员参加的组织生活；外出运营的党员可线上参加。',
    venues: ['党群服务中心', '司机之家会议室'],
    hours: [19, 20, 10],
    minutes: 90,
    capacity: null,
  },
};

/** Kinds a branch runs for the workers it serves, besides its monthly meeting. */
export const branchKinds: readonly ActivityKind[] = ['training', 'themed_day', 'volunteer_service', 'care_visit'];
/** Kinds a platform committee runs for its drivers in a city. */
export const committeeKinds: readonly ActivityKind[] = ['health_check', 'training', 'film_screening'];
/** Kinds a city's industry committee runs for every platform's workers. */
export const cityKinds: readonly ActivityKind[] = ['health_check', 'film_screening', 'themed_day', 'volunteer_service'];

export const cancelReasons: readonly string[] = ['高温红色预警，改期举行', '场地临时征用，另行通知', '暴雨天气，为安全起见取消', '合作医院排期冲突，改期', '报名人数不足'];

/** City centres of the demo's pilot cities, for coordinates near enough to show on a map. */
export const cityCentres: Record<string, { lat: number; lng: number }> = {
  '510100': { lat: 30.657, lng: 104.066 },
  '510500': { lat: 28.871, lng: 105.443 },
  '511500': { lat: 28.752, lng: 104.643 },
  '511700': { lat: 31.209, lng: 107.468 },
  '440300': { lat: 22.543, lng: 114.058 },
  '440100': { lat: 23.129, lng: 113.264 },
  '441900': { lat: 23.021, lng: 113.752 },
  '440600': { lat: 23.022, lng: 113.122 },
};

/** Road names for addresses: any city has a 人民路 and a 建设路. */
export const roads: readonly string[] = ['人民路', '建设路', '解放路', '长江路', '迎宾大道', '工业大道', '物流大道', '新华路', '中山路', '滨江路'];
