// The words of the demo appeals: what workers complain about, in their own words, and what branches
// and committees answer. Slots in braces are filled per appeal: {平台} the platform, {城市} the city,
// {区} a district of it, {单位} the unit holding the appeal.
import type { AppealCategory } from '../tables-appeals.js';
import type { WorkType } from '../tables.js';
import type { Random } from './random.js';

type ByWork = Partial<Record<WorkType | 'any', readonly string[]>>;

// How often each kind of appeal comes in: pay and penalties lead, as in every survey of gig workers.
export const categoryWeights: Record<AppealCategory, number> = {
  income_fees: 18,
  dispatch_algorithm: 13,
  account_penalties: 14,
  safety: 5,
  traffic_parking: 11,
  rest_facilities: 9,
  insurance_injury: 7,
  contracts_labour: 5,
  customer_disputes: 9,
  health: 4,
  other: 5,
};

const descriptions: Record<AppealCategory, ByWork> = {
  income_fees: {
    any: [
      '{平台}从上周起把抽成比例从20%左右调到了27%，事先没有任何通知，同样跑10个小时，到手少了七八十块。',
      '平台的“信息服务费”每单都在涨，账单里看不到明细，问客服只说是系统规则，希望公开计费和抽成标准。',
      '上个月的冲单奖励说好完成指定单量给300元，结果显示活动已结束没有发放，客服一直让等待。',
      '提现规则改了，每周只能提一次还要收手续费，家里急用钱取不出来。',
    ],
    ride_hailing: ['一口价订单比打表价低很多，跑一趟机场单扣完抽成只剩四十多块，平台单方面定价，司机没有选择权。'],
    freight: ['{平台}调整了搬家单的计价，跟车搬运费被并进了运费里，活多了钱反而少了。', '平台的会员费每月398元，不交就抢不到好单，等于变相收费。'],
    delivery: ['配送费下调了，同样距离的单子从5.5元降到4.2元，恶劣天气补贴也取消了。', '超时扣款太重，超时几分钟就扣一半配送费，商家出餐慢、等电梯也算我们的。'],
    courier: ['派件费每票降了两毛，网点还要收“管理费”，一个月下来少了一千多。'],
    other: ['代驾起步价好几年没变，平台抽成却一直在涨，夜里两点的单子到手不到三十块。'],
  },
  dispatch_algorithm: {
    any: [
      '最近派单明显变少，在同一个地方等单，新注册的一直有单，老司机反而没单，怀疑算法区别对待。',
      '服务分被扣了以后派单量一下子少了一半，不知道怎么恢复，规则没有说清楚。',
      '经常派给我十几公里外的单子，接驾路程长还不算钱，拒单又扣分。',
      '高峰时段系统连续派远单，一天空驶时间超过三个小时，油钱都跑不回来。',
    ],
    ride_hailing: ['开通“特惠快车”之后，不接特惠单就基本派不到普通单，等于被逼着接低价单。'],
    delivery: ['系统给的配送时间太短，{区}那几个大型小区光找楼就要十分钟，算法根本没考虑实际情况。', '一次叠派五六单，路线还是反着的，超时了算我们的。'],
    freight: ['同一单抢单时会员等级高的优先，普通司机只能捡剩下的长途空返单。'],
    courier: ['网点重新划片，新片区路远件少，派件量少了三成，找站长说是系统分的。'],
  },
  account_penalties: {
    any: [
      '账号突然被封七天，理由写的是“异常行为”，申诉提交了三次都是系统自动回复，没有人工处理。',
      '一个差评就扣服务分，根本没有核实的过程，申诉渠道形同虚设。',
      '人脸识别一直失败，账号被冻结，线下服务中心说要等总部处理，已经十天不能接单了。',
      '因为“绕路”被罚款200元，我是按平台导航走的，导航记录都在，平台不认。',
    ],
    ride_hailing: ['乘客投诉车内有异味被停单三天，车是当天刚洗过的，没有任何核查就处罚。'],
    delivery: ['因为“虚假点送达”被扣款封号，其实是顾客让放门口的，有聊天记录为证。'],
    freight: ['货主临时取消订单却算成我违约，扣了信用分还罚了50元。'],
    other: ['代驾途中客户酒后要求改路线，我拒绝后被投诉，账号直接被封，申诉没有回复。'],
  },
  safety: {
    any: [
      '夜里接单遇到顾客辱骂威胁，平台的紧急求助电话半天打不通，希望完善一键报警功能。',
      '{区}有一段路晚上没有路灯，上个月有同行在那里出了事故，希望协调有关部门加装照明。',
      '被顾客拉黑后对方还到站点来闹事，担心人身安全，希望帮忙协调。',
    ],
    ride_hailing: ['凌晨接到醉酒乘客，下车时动手打人，报警后平台只是封了乘客账号，我的误工损失没人管。'],
    delivery: ['平台时间压得太紧，很多骑手为了赶时间逆行闯灯，{区}这个月已经出了两起事故。'],
    freight: ['货主要求超载装货，不装就取消订单还给差评，超载被查处罚的却是司机。'],
    courier: ['网点电动三轮车电池集中充电，上周有一块电池冒烟，网点没有任何消防设施。'],
  },
  traffic_parking: {
    any: ['{区}地铁站附近没有临时停靠点，停车上下客就被拍违停，一个月罚了三次。', '商场和写字楼不让进，只能在路边等，一停就被贴条，希望设置临时停车区。'],
    ride_hailing: ['机场网约车上客区排队要一个多小时，还经常被引导到很远的停车场，希望规范接客区。', '火车东站网约车通道经常堵死，进站接人超过规定时间就被收费。'],
    delivery: ['{区}几个大型小区不让电动车进门，只能走进去送，超时被扣钱，希望协调物业开放通道或者设置取餐点。'],
    freight: ['货车限行时段调整后，{区}早上七点到九点都进不去，白白耽误一上午。', '城区没有货车临时装卸车位，卸货十分钟就被罚款。'],
    courier: ['快递三轮车在小区门口停一下就被驱赶，希望划定临时停放点。'],
  },
  rest_facilities: {
    any: [
      '{区}一带找不到能喝水、上厕所、给手机充电的地方，希望多设几个户外劳动者驿站。',
      '附近驿站晚上九点就关门，跑夜班的兄弟没地方歇脚，希望延长开放时间。',
      '驿站的微波炉坏了一个多月没人修，中午热饭要排很久的队。',
    ],
    ride_hailing: ['新能源车充电难，{区}的快充桩经常排队一个多小时，希望司机之家增加充电桩或者给优惠时段。'],
    delivery: ['换电柜太少，高峰期经常换不到电，一天要跑好几个柜子。'],
    freight: ['物流园附近没有货车司机休息的地方，只能睡在驾驶室里，夏天热冬天冷。'],
    courier: ['网点分拣场地没有休息区，中午只能坐在快递堆上吃饭。'],
  },
  insurance_injury: {
    any: [
      '跑单途中摔伤骨折，平台说我们不是员工不管，职业伤害保障怎么申请没人讲得清。',
      '平台每天扣3元保险费，出事后理赔要的材料一大堆，三个月了还没有结果。',
      '受伤后在家休养两个月没有收入，想了解能不能申请职业伤害保障待遇。',
    ],
    ride_hailing: ['营运车辆保险到期，保险公司要求按营运车投保，保费翻了一倍，希望平台协商团购优惠。'],
    delivery: ['送餐时被车撞了，对方逃逸，医药费都是自己垫的，平台的意外险说要有责任认定书。'],
    freight: ['装卸货时砸伤了脚，货主说不关他的事，平台说搬运不在保障范围内。'],
  },
  contracts_labour: {
    any: [
      '平台让签的合作协议换成了和第三方公司签，还要注册成“个体工商户”，不知道签了以后权益有什么变化。',
      '合作协议里写着平台可以随时单方面修改规则，我们没有任何商量的余地，希望改规则时听取骑手和司机的意见。',
      '在站点干了两年，突然说换了承包商要重新签约，之前交的2000元押金不退。',
    ],
    ride_hailing: ['租车公司的合同里有高额违约金，退车要扣一万多，当初签合同时没有人解释。'],
    delivery: ['站长要求每天必须在线12个小时，不然就不给派单，等于强制加班。'],
    courier: ['网点拖欠两个月的派件费没发，站长说总部还没结算。'],
  },
  customer_disputes: {
    any: ['顾客恶意投诉要求退款，平台直接从我的收入里扣了，连申辩的机会都没有。', '顾客写错地址导致送错，却给了差评还扣了钱，希望平台核实。'],
    ride_hailing: ['乘客把手机落在车上，送回去后反被投诉“绕路”，还要我承担来回的费用。', '乘客下车不付车费，平台说会追缴，一个多月了钱还没到账。'],
    delivery: ['顾客收到餐后说洒了要求全额赔偿，商家包装的问题也算到骑手头上。'],
    freight: ['货主说家具运输中磕坏了，要我赔一千块，装车时就有划痕，有照片为证。'],
    other: ['客户说代驾途中车被刮了要我赔钱，行车记录仪显示是上车前就有的。'],
  },
  health: {
    any: [
      '这几天{城市}持续高温，中午路面四十多度，有同事中暑晕倒，希望高温时段调整考核并发放防暑物资。',
      '长期久坐腰椎出了问题，想了解司机之家的免费体检什么时候有，能不能加上颈腰椎检查。',
      '连续跑单身体吃不消，平台的疲劳提醒形同虚设，希望有强制休息和补贴。',
      '家里老人在老家生病住院，异地就医备案和报销手续复杂，不知道去哪里咨询。',
    ],
    delivery: ['冬天早晚特别冷，手都冻裂了，希望驿站能提供热水和防寒用品。'],
  },
  other: {
    any: [
      '孩子跟着在务工地上小学，没有本地户口入学难，希望了解随迁子女入学政策。',
      '想考网约车驾驶员证，但培训和考试都在工作日，希望能安排周末场次。',
      '希望支部多组织技能培训，比如新能源车维护、电动车安全常识。',
      '租的房子被房东无故提前收回，押金不退，不知道该找哪里。',
    ],
  },
};

export type Slots = { 平台: string; 城市: string; 区: string; 单位: string };

export function fill(text: string, slots: Slots): string {
  return text.replace(/\{(平台|城市|区|单位)\}/g, (_, key: keyof Slots) => slots[key]);
}

/** A worker's description of their problem, in the words of their line of work where there are some. */
export function descriptionOf(rng: Random, category: AppealCategory, workType: WorkType): string {
  return wordsFor(rng, descriptions[category], workType);
}

// What the demands recorded in the liaison contact log (people-vocabulary.ts) are about.
export const demandCategory: Record<string, AppealCategory> = {
  '平台抽成上调，收入下降': 'income_fees',
  '派单减少，空驶时间变长': 'dispatch_algorithm',
  '高峰期罚款规则不清楚，申诉没有回应': 'account_penalties',
  '充电桩排队时间长，希望驿站增加快充': 'rest_facilities',
  '希望解决子女在务工地入学问题': 'other',
  '小区不让外卖电动车进入，送餐超时被扣款': 'traffic_parking',
  '货车进城限行时段调整，影响接单': 'traffic_parking',
  '希望参加职业伤害保障': 'insurance_injury',
  '账号被封没有说明原因': 'account_penalties',
  '停车难，临时停车被贴罚单': 'traffic_parking',
  '希望驿站延长夜间开放时间': 'rest_facilities',
  '医保异地报销手续复杂': 'health',
};

// ---------------------------------------------------------------------------------------------
// What handlers write

export const ackReplies = [
  '您好，您反映的问题已收到，{单位}已安排专人跟进，会在3个工作日内给您答复。',
  '已受理。我们先向平台运营核实情况，有进展会第一时间告诉您。',
  '收到，感谢您的反映。支部书记已经看到，今天会联系您了解详细情况。',
];

export const takeoverReplies = ['{单位}已接手您的诉求，正在协调平台相关部门，会尽快答复。', '您的诉求已由{单位}督办，我们已约平台负责人本周面谈。'];

const genericProgress = ['正在与平台方沟通，对方承诺本周内给出书面答复，请您耐心等待。', '已将您的情况汇总上报，其他司机也有类似反映，我们在一并协调。'];

const progress: Record<AppealCategory, readonly string[]> = {
  income_fees: ['已调取您近一个月的账单明细，正在和平台财务核对服务费扣除情况。'],
  dispatch_algorithm: ['已把您反映的派单情况提交平台规则团队核查，要求平台说明派单规则。'],
  account_penalties: ['已联系平台安全中心，要求对您的封号申诉进行人工复核。'],
  safety: ['已向平台安全中心通报，同时联系了属地派出所了解情况。'],
  traffic_parking: ['已就临时停靠点问题联系区交警大队和站点管理方，正在现场查看。'],
  rest_facilities: ['已与街道和驿站运营方沟通，正在评估增设点位和延长开放时间。'],
  insurance_injury: ['已帮您整理理赔材料清单，并联系保险公司理赔专员跟进。'],
  contracts_labour: ['已请工会法律援助律师审阅合同条款，稍后给您具体意见。'],
  customer_disputes: ['已要求平台调取订单记录和通话录音进行核实。'],
  health: ['已联系司机之家，下月体检活动会增加颈腰椎项目，具体时间另行通知。'],
  other: ['已向相关部门咨询政策，有结果后答复您。'],
};

export function progressOf(rng: Random, category: AppealCategory): string {
  return rng.chance(0.5) ? rng.pick(progress[category]) : rng.pick(genericProgress);
}

const answers: Record<AppealCategory, ByWork> = {
  income_fees: {
    any: ['经与平台沟通，本次服务费上调属于试点，平台已决定恢复原费率，多扣的费用3个工作日内返还到您的账户。', '平台已补发您的奖励金300元，并承诺今后活动规则调整提前7天公示。'],
    delivery: ['平台已恢复恶劣天气补贴，超时扣款改为按超时时长分档，商家出餐慢造成的超时不再扣骑手。'],
  },
  dispatch_algorithm: {
    any: ['平台核查后确认您的服务分扣减有误，已恢复服务分，派单权重恢复正常。', '平台已调整远距离派单规则，超过5公里的接驾距离将按里程给予补贴。'],
    delivery: ['平台已对{区}的大型小区单独增加配送时长，叠单上限调整为4单。'],
  },
  account_penalties: { any: ['经人工复核，您的账号已解封，误封期间的损失平台按日均流水给予补偿。', '罚款已撤销，平台已更正处罚记录，服务分同步恢复。'] },
  safety: { any: ['平台已升级紧急求助功能，并对涉事人员账号永久封禁；派出所已受理您的报案。', '经协调，区住建部门已在该路段加装路灯，本月底前完工。'] },
  traffic_parking: {
    any: ['经与交警部门协调，已在站点东侧设置临时停靠区，5分钟内停靠上下客不再处罚。'],
    delivery: ['物业已同意在小区东门设置骑手通道，并在门口设立取餐架。'],
    courier: ['街道已在小区门口划定快递车辆临时停放点，城管不再驱赶。'],
    freight: ['交管部门已在{区}增设货车临时装卸车位，限行时段内凭订单可申请临时通行。'],
  },
  rest_facilities: { any: ['街道已在{区}新增一处户外劳动者驿站，提供饮水、充电和卫生间，开放时间延长至晚上11点。', '驿站的微波炉已更换，并增加了一台饮水机。'] },
  insurance_injury: { any: ['经协调，保险公司已完成理赔审核，赔付款5个工作日内到账。', '已帮您完成职业伤害保障待遇申请，人社部门已受理，请留意短信通知。'] },
  contracts_labour: {
    any: ['经工会协调，站点同意退还押金2000元，新合同删除了不合理的违约条款。', '平台已承诺修改协议条款，规则调整前将征求司机和骑手代表的意见。'],
    courier: ['拖欠的派件费已由网点全部结清，平台承诺今后按月按时结算。'],
  },
  customer_disputes: {
    any: ['平台核实后认定为恶意投诉，已撤销扣款并恢复您的服务分。'],
    ride_hailing: ['欠付的车费已由平台先行垫付到您的账户，后续由平台向乘客追缴。'],
  },
  health: { any: ['已向您所在片区发放防暑降温物资，平台同意在高温红色预警期间调整考核。', '已为您预约下周六司机之家的免费体检，名额已保留。'] },
  other: { any: ['已为您联系教育部门，随迁子女入学材料清单已发给您，可在下月初提交申请。', '支部已与职业培训学校协商，下月起每月安排一次周末培训场次。'] },
};

function wordsFor(rng: Random, texts: ByWork, workType: WorkType): string {
  const own = texts[workType] ?? [];
  return rng.chance(own.length ? 0.5 : 0) ? rng.pick(own) : rng.pick(texts.any ?? own);
}

export function answerOf(rng: Random, category: AppealCategory, workType: WorkType): string {
  return wordsFor(rng, answers[category], workType);
}

export const partialAnswers = [
  '平台同意退还本次多扣的费用，但规则调整属于全国统一政策，我们会继续向上反映。',
  '问题已部分解决：目前只在工作日落实，周末的情况我们还在协调。',
  '已退还一半款项，剩余部分对方要求交接完成后结清，我们会继续跟进。',
  '您反映的问题部分已解决，其余部分涉及平台规则调整，需要更长时间，我们会持续跟踪。',
];

export const secondAnswers = ['经再次与平台核实，问题已处理到位，相关款项和记录均已更正，请您查看。', '已约平台负责人当面复核，您反映的情况已全部纠正，后续如有反复请随时告诉我们。'];

export const relayAnswers = ['有关部门已作出答复，现转告您：问题已按程序处理完毕，具体结果已短信通知您。', '经转办单位核实处理，您反映的问题已解决，如仍有疑问可随时联系我们。'];

export const internalNotes = [
  '已电话联系诉求人，情况属实，需平台配合调取后台数据。',
  '同类诉求本月已有多起，建议作为重点难点问题汇总上报。',
  '平台运营负责人已沟通，对方表示需要总部审批。',
  '诉求人情绪比较激动，下次联系注意方式方法。',
  '已安排联系该司机的党员上门走访了解情况。',
  '涉及外部单位，先弄清职责分工再决定是否转办。',
];

/** What a handler asks the worker for, and what the worker answers. */
export const waitingAsks: readonly (readonly [string, string])[] = [
  ['请补充相关订单号和截图，方便我们向平台核实。', '订单号和截图已经上传了，请查收。'],
  ['请提供事故认定书或医院的诊断证明。', '诊断证明拍照上传了，事故认定书还在等交警出。'],
  ['电话没有联系上您，请方便时回电或在这里补充联系方式。', '刚才在跑单没接到电话，现在方便，可以联系我。'],
  ['请上传处罚通知截图以及当时的导航记录。', '处罚通知和导航记录截图都传上来了。'],
  ['请提供合同或协议的照片，以便律师审阅。', '合同每一页都拍了照，已上传。'],
];

export const rejectReasons = [
  '经核实，该订单的扣款符合双方事先约定的规则，且已在平台申诉渠道作出答复，不再重复受理。',
  '诉求内容不属于本组织职责范围，且未提供可核实的信息。',
  '多次联系无法核实相关情况，诉求人也未补充材料。',
  '该问题已进入司法程序，不再重复受理。',
];

export const mergedReason = (targetId: number) => `与诉求 #${targetId} 反映的是同一问题，已合并办理，进展请查看该诉求。`;

type Referral = { to: string; reason: string };
const unionReferral: Referral = { to: '{城市}总工会', reason: '工会职工服务中心可提供法律援助，已为您预约咨询。' };
const hotline: Referral = { to: '12345政务服务便民热线', reason: '涉及政府部门职责，已通过12345热线转办并持续跟踪。' };
const arbitration: Referral = { to: '{城市}劳动人事争议仲裁委员会', reason: '涉及劳动报酬争议，建议申请劳动仲裁，已协助您准备材料。' };
const transport: Referral = { to: '{城市}交通运输局', reason: '停靠点和运营秩序属于交通运输部门职责，已转交并持续跟踪。' };
const injury: Referral = { to: '{城市}人力资源和社会保障局', reason: '职业伤害保障待遇由人社部门认定，已转交并协助提交材料。' };

export const referrals: Record<AppealCategory, readonly Referral[]> = {
  income_fees: [hotline, unionReferral],
  dispatch_algorithm: [transport, hotline],
  account_penalties: [unionReferral, hotline],
  safety: [{ to: '{城市}公安局交通管理局', reason: '涉及道路交通安全，已转交交管部门处理。' }, hotline],
  traffic_parking: [transport, { to: '{城市}公安局交通管理局', reason: '临时停车管理属于交管部门职责，已转交并持续跟踪。' }],
  rest_facilities: [hotline, unionReferral],
  insurance_injury: [injury, arbitration],
  contracts_labour: [arbitration, unionReferral],
  customer_disputes: [{ to: '{城市}市场监督管理局', reason: '涉及消费纠纷，已转交市场监管部门调解。' }, hotline],
  health: [{ to: '{城市}医疗保障局', reason: '异地就医备案和报销由医保部门办理，已转交并告知办理渠道。' }, unionReferral],
  other: [hotline, { to: '{城市}教育局', reason: '随迁子女入学由教育部门受理，已转交并告知材料清单。' }],
};

export const reopenComments = [
  '问题并没有解决，扣的钱到现在还没退回来。',
  '答复说会设置停靠点，但现场还是没有，照样被贴条。',
  '只解决了一部分，账号还是不能正常接单。',
  '平台客服说不知道这个处理结果，请再核实一下。',
];

export const praise = ['处理得很及时，谢谢支部！', '书记亲自打电话了解情况，问题解决了，很满意。', '钱已经到账，感谢帮忙协调。', '比自己找平台客服管用多了。'];
export const complaints = ['问题解决了，但是太慢了，等了一个多星期。', '只解决了一部分，希望以后规则能提前公示。', '答复太笼统，没有说清楚原因。'];

export const escalationReasons = [
  '涉及平台全国统一规则，本级无法协调，提请上级党委督促平台研究解决。',
  '同类诉求集中反映，已超出本级协调能力，申请上级统筹处理。',
  '需要与交通、人社等部门协调，提请上级党委出面。',
];


// Where a location helps: the place of a parking fine, a missing rest stop, a dark road.
export const placeNames = ['地铁站B口', '火车东站', '万达广场', '物流园', '人民医院门口', '科技园', '大学城', '汽车客运站', '步行街', '会展中心'];
export const locatedCategories: ReadonlySet<AppealCategory> = new Set(['traffic_parking', 'rest_facilities', 'safety']);
/** City centres (lat, lng) of the demo's pilot cities; appeals elsewhere carry an address only. */
export const cityCentres: Readonly<Record<string, readonly [number, number]>> = {
  '510100': [30.6595, 104.0657],
  '510500': [28.8718, 105.4423],
  '511500': [28.7518, 104.643],
  '511700': [31.2092, 107.4679],
  '440300': [22.5431, 114.0579],
  '440100': [23.1291, 113.2644],
  '441900': [23.0207, 113.7518],
  '440600': [23.0218, 113.1219],
};
