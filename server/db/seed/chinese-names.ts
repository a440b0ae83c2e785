// Realistic Chinese person names for demo workers, members and secretaries. Later seeding steps
// draw a million of them, so every table is built once at import and a draw allocates only the
// resulting string.
import { type Random, weightedPicker } from './random.js';

export type Gender = 'male' | 'female';

/**
 * Common surnames with their approximate share of the population (per mille), after the Ministry
 * of Public Security's 2020 household-registration ranking: the top five alone cover about 30% of
 * people, so a uniform pick would look wrong at once. The thousands of rarer surnames (about a
 * seventh of people) are left out, so the listed ones come up a little more often than in life.
 */
export const surnameWeights: readonly (readonly [string, number])[] = [
  ['王', 72], ['李', 71], ['张', 67], ['刘', 51], ['陈', 45], ['杨', 33], ['黄', 24], ['赵', 20],
  ['吴', 20], ['周', 19], ['徐', 14], ['孙', 14], ['马', 13], ['朱', 13], ['胡', 12], ['郭', 11],
  ['何', 11], ['林', 10], ['高', 10], ['罗', 10], ['郑', 9.2], ['梁', 8.3], ['谢', 7.2], ['宋', 6.7],
  ['唐', 6.6], ['许', 6.2], ['韩', 5.9], ['冯', 5.7], ['邓', 5.6], ['曹', 5.5], ['彭', 5.3], ['曾', 5.0],
  ['肖', 5.0], ['田', 4.8], ['董', 4.7], ['袁', 4.6], ['潘', 4.4], ['于', 4.3], ['蒋', 4.2], ['蔡', 4.1],
  ['余', 4.0], ['杜', 3.9], ['叶', 3.8], ['程', 3.8], ['苏', 3.6], ['魏', 3.6], ['吕', 3.5], ['丁', 3.4],
  ['任', 3.3], ['沈', 3.3], ['姚', 3.1], ['卢', 3.1], ['姜', 3.0], ['崔', 2.9], ['钟', 2.8], ['谭', 2.8],
  ['陆', 2.7], ['汪', 2.6], ['范', 2.6], ['金', 2.5], ['石', 2.4], ['廖', 2.4], ['贾', 2.3], ['夏', 2.2],
  ['韦', 2.2], ['付', 2.1], ['方', 2.1], ['白', 2.0], ['邹', 2.0], ['孟', 1.9], ['熊', 1.9], ['秦', 1.8],
  ['邱', 1.8], ['江', 1.8], ['尹', 1.7], ['薛', 1.6], ['闫', 1.6], ['段', 1.6], ['雷', 1.6], ['侯', 1.5],
  ['龙', 1.5], ['史', 1.4], ['陶', 1.4], ['黎', 1.4], ['贺', 1.3], ['顾', 1.3], ['毛', 1.3], ['郝', 1.3],
  ['龚', 1.2], ['邵', 1.2], ['万', 1.1], ['钱', 1.1], ['严', 1.1], ['覃', 1.1], ['武', 1.1], ['戴', 1.1],
  ['莫', 1.0], ['孔', 1.0], ['向', 1.0], ['汤', 0.9], ['常', 0.9], ['温', 0.9], ['康', 0.8], ['施', 0.8],
  ['文', 0.8], ['牛', 0.8], ['樊', 0.7], ['葛', 0.7], ['邢', 0.7], ['安', 0.6], ['齐', 0.6], ['易', 0.6],
  ['乔', 0.6], ['伍', 0.6], ['庞', 0.6], ['颜', 0.5], ['倪', 0.5], ['庄', 0.5], ['聂', 0.5], ['章', 0.5],
  ['鲁', 0.5], ['岳', 0.5], ['翟', 0.5], ['殷', 0.4], ['詹', 0.4], ['申', 0.4], ['欧', 0.4], ['耿', 0.4],
  ['关', 0.4], ['兰', 0.4], ['焦', 0.4], ['俞', 0.4], ['左', 0.4], ['柳', 0.4], ['甘', 0.4], ['祝', 0.3],
  ['包', 0.3], ['宁', 0.3], ['尚', 0.3], ['符', 0.3], ['舒', 0.3], ['阮', 0.3], ['柯', 0.3], ['纪', 0.3],
  ['梅', 0.3], ['童', 0.3], ['凌', 0.3], ['毕', 0.3], ['单', 0.3], ['季', 0.3], ['裴', 0.3], ['霍', 0.3],
  ['涂', 0.3], ['成', 0.3], ['苗', 0.3], ['谷', 0.3], ['盛', 0.3], ['曲', 0.3], ['翁', 0.3], ['冉', 0.3],
  // A tail of less common surnames, some typical of Sichuan (蒲 苟 谯 鄢 敬 母) and Guangdong (麦 冼
  // 区 岑 邝 植), where the demo's workers are.
  ['洪', 0.6], ['鲍', 0.3], ['路', 0.3], ['蒲', 0.15], ['苟', 0.15], ['谯', 0.15], ['鄢', 0.15], ['敬', 0.15], ['母', 0.15], ['麦', 0.15],
  ['冼', 0.15], ['区', 0.15], ['岑', 0.15], ['邝', 0.15], ['植', 0.15], ['卜', 0.15], ['卫', 0.15], ['卞', 0.15], ['古', 0.15], ['吉', 0.15],
  ['邬', 0.15], ['闵', 0.15], ['杭', 0.15], ['宗', 0.15], ['房', 0.15], ['官', 0.15], ['屈', 0.15], ['应', 0.15], ['佟', 0.15], ['辛', 0.15],
  ['练', 0.15], ['项', 0.15], ['柴', 0.15], ['晏', 0.15], ['桑', 0.15], ['滕', 0.15], ['褚', 0.15], ['解', 0.15], ['谈', 0.15], ['蒙', 0.15],
  ['虞', 0.15], ['管', 0.15], ['满', 0.15], ['蓝', 0.15], ['靳', 0.15], ['廉', 0.15], ['雍', 0.15], ['穆', 0.15], ['巫', 0.15], ['游', 0.15],
  ['湛', 0.15], ['储', 0.15], ['戚', 0.15], ['宫', 0.15], ['车', 0.15], ['骆', 0.15], ['冷', 0.15], ['简', 0.15], ['饶', 0.15], ['卓', 0.15],
  ['惠', 0.15], ['花', 0.15], ['郁', 0.15], ['匡', 0.15], ['隋', 0.15], ['狄', 0.15], ['寇', 0.15], ['沙', 0.15], ['农', 0.15], ['强', 0.15],
  ['艾', 0.15], ['容', 0.15], ['晋', 0.15], ['祁', 0.15], ['刁', 0.15], ['粟', 0.15], ['鞠', 0.15], ['荣', 0.15],
  // Compound surnames exist but are rare; a few keep the demo honest.
  ['欧阳', 0.25], ['司马', 0.03], ['上官', 0.03], ['诸葛', 0.02], ['司徒', 0.03], ['慕容', 0.01],
];

// Given names: a pool of whole names that were common across the generations now driving and
// delivering (建国 and 秀英 for those born in the 1960s–70s, 浩然 and 欣怡 for the 2000s), plus
// characters to compose new ones, so the million draws are not a few hundred names repeated.
const maleWhole = [
  '建国', '建军', '建华', '建平', '建新', '志强', '志刚', '志明', '志勇', '海涛', '海波', '海峰', '国强', '国庆',
  '国华', '国平', '俊杰', '浩然', '子轩', '宇航', '家豪', '晓东', '永强', '永刚', '文杰', '文博', '春生', '德华',
  '明辉', '天宇', '立新', '振华', '小龙', '金龙', '红军', '卫东', '伟东', '成龙', '鹏飞', '晓峰', '少华', '学军',
  '光明', '长江', '东升', '世杰', '云飞', '宏伟', '新民', '庆华', '晓明', '嘉伟', '思远', '博文', '梓豪', '一鸣',
];
const maleFirst = '建志国明永海文俊家子浩宇伟晓春德小金立振天世新成光学红长东林鹏宏庆泽嘉思博梓一中正维荣';
const maleSecond = '伟强军平华明杰涛斌辉勇峰超波刚林亮飞鹏龙东宇磊坤浩凯健俊帆鑫洋阳晨轩航然豪睿彬成荣生民良江武新伦';
const maleSingle = '伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林峰亮森毅';

const femaleWhole = [
  '秀英', '桂英', '秀兰', '玉兰', '桂兰', '秀珍', '凤英', '玉梅', '丽娟', '海燕', '丽华', '晓燕', '春梅', '雪梅',
  '婷婷', '丹丹', '佳怡', '欣怡', '梓涵', '诗涵', '雨涵', '思琪', '子涵', '可欣', '一诺', '梦瑶', '雅婷', '淑芬',
  '美玲', '晓丽', '艳红', '红霞', '丽萍', '静怡', '慧敏', '春燕', '小红', '晓霞', '玉珍', '金凤', '淑华', '秀梅',
];
const femaleFirst = '秀丽桂玉美淑晓雅佳欣诗梦雨思婉慧静海春小丹雪艳红紫子一可若文嘉';
const femaleSecond = '英华芳兰珍梅玲娟霞萍燕红琴云莲婷静敏丽艳洁琳颖倩雪慧娜妍怡涵萱琪悦彤欣蓉菲';
const femaleSingle = '芳娜敏静丽艳娟霞燕玲婷雪慧红梅琳颖倩洁晶萍欣丹蓉';

type GivenPools = { whole: readonly string[]; first: string; second: string; single: string };
const pools: Record<Gender, GivenPools> = {
  male: { whole: maleWhole, first: maleFirst, second: maleSecond, single: maleSingle },
  female: { whole: femaleWhole, first: femaleFirst, second: femaleSecond, single: femaleSingle },
};

// Shares of given-name shapes. One-character given names were common in the 1990s–2000s and are
// about a seventh of adults now; the rest are two characters.
const SINGLE_SHARE = 0.15;
const WHOLE_SHARE = 0.35;

const pickSurname = weightedPicker(
  surnameWeights.map(([s]) => s),
  surnameWeights.map(([, w]) => w),
);

function charAt(rng: Random, pool: string): string {
  // Every pool character is in the Basic Multilingual Plane, so indexing by code unit is safe.
  return pool.charAt(Math.floor(rng.next() * pool.length));
}

export function givenName(rng: Random, gender: Gender): string {
  const p = pools[gender];
  const shape = rng.next();
  if (shape < SINGLE_SHARE) return charAt(rng, p.single);
  if (shape < SINGLE_SHARE + WHOLE_SHARE) return p.whole[Math.floor(rng.next() * p.whole.length)] as string;
  const first = charAt(rng, p.first);
  let second = charAt(rng, p.second);
  // Doubled characters (婷婷) are a female pattern, and those already come from the whole list.
  if (second === first) second = charAt(rng, p.second);
  return first + second;
}

export function surname(rng: Random): string {
  return pickSurname(rng);
}

/** A full name such as 王海涛 or 欧阳欣怡. */
export function personName(rng: Random, gender: Gender): string {
  return pickSurname(rng) + givenName(rng, gender);
}

/**
 * A gender by the share of men in the population being drawn: ride-hailing and freight drivers
 * are overwhelmingly men (about nine in ten in platform reports), delivery a little less so.
 */
export function randomGender(rng: Random, maleShare = 0.5): Gender {
  return rng.next() < maleShare ? 'male' : 'female';
}

export function randomPerson(rng: Random, maleShare = 0.5): { name: string; gender: Gender } {
  const gender = randomGender(rng, maleShare);
  return { name: personName(rng, gender), gender };
}
