// Column headers of import files, shared with the browser's mapping preview (no zod here, so the
// browser bundle stays small).
/** Headers as people write them, compared after normalizeHeader. The first is the one exports use. */
export const workerHeaderAliases: Record<'name' | 'phone' | 'platform' | 'platformWorkerId' | 'workType' | 'vehicle' | 'city' | 'status', readonly string[]> = {
  name: ['姓名', 'name', '名字', 'fullname'],
  phone: ['手机号', 'phone', '手机', '手机号码', '电话', '联系电话', 'mobile'],
  platform: ['平台', 'platform', '平台名称', '平台代码', 'platformcode'],
  platformWorkerId: ['平台工号', 'platformworkerid', '工号', 'workerid'],
  workType: ['工作类型', 'worktype', '从业类型'],
  vehicle: ['车辆', 'vehicle', '车辆类型', '交通工具'],
  city: ['城市', 'city', '所在城市', '城市代码', 'citycode'],
  status: ['状态', 'status'],
};

export function normalizeHeader(header: string): string {
  return header.replace(/^\uFEFF/, '').replace(/[\s_\-()（）*]/g, '').toLowerCase();
}
