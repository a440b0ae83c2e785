// Server-side messages in the two languages Convoy speaks. The client picks with Accept-Language;
// Chinese is the default because most people using Convoy read it first.
export type Locale = 'zh-CN' | 'en';

export function localeOf(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return 'zh-CN';
  const ranked = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

type Message = { title: { zh: string; en: string }; detail: { zh: string; en: string } };

// Each error code has a short title and a detail a person can act on; {name} placeholders are filled
// from the error's params.
export const messages = {
  VALIDATION_FAILED: {
    title: { zh: '请求内容有误', en: 'The request is not valid' },
    detail: { zh: '请检查以下字段：{fields}', en: 'Please check these fields: {fields}' },
  },
  BAD_JSON: {
    title: { zh: '请求格式有误', en: 'Malformed request' },
    detail: { zh: '请求正文不是有效的 JSON。', en: 'The request body is not valid JSON.' },
  },
  UNSUPPORTED_MEDIA_TYPE: {
    title: { zh: '不支持的内容类型', en: 'Unsupported content type' },
    detail: { zh: '请以 application/json 发送请求正文。', en: 'Send the request body as application/json.' },
  },
  BODY_TOO_LARGE: {
    title: { zh: '请求过大', en: 'Request too large' },
    detail: { zh: '请求正文超过了允许的大小。', en: 'The request body is larger than allowed.' },
  },
  NOT_FOUND: {
    title: { zh: '未找到', en: 'Not found' },
    detail: { zh: '没有找到该{entity}，或您无权查看。', en: 'This {entity} was not found, or you may not see it.' },
  },
  ROUTE_NOT_FOUND: {
    title: { zh: '未找到', en: 'Not found' },
    detail: { zh: '没有这个地址：{method} {url}', en: 'There is no such address: {method} {url}' },
  },
  BAD_ADDRESS: {
    title: { zh: '地址无效', en: 'Invalid address' },
    detail: { zh: '无法识别这个地址：路径中有编码错误或过长的部分。', en: 'This address cannot be read: part of its path is badly encoded or too long.' },
  },
  UNAUTHENTICATED: {
    title: { zh: '请先登录', en: 'Please log in' },
    detail: { zh: '您尚未登录或登录已过期，请重新登录。', en: 'You are not logged in, or your session has expired. Please log in again.' },
  },
  LOGIN_FAILED: {
    title: { zh: '登录失败', en: 'Login failed' },
    detail: { zh: '用户名或密码不正确。', en: 'The username or password is not correct.' },
  },
  RATE_LIMITED: {
    title: { zh: '请求过于频繁', en: 'Too many requests' },
    detail: { zh: '请在 {seconds} 秒后再试。', en: 'Please try again in {seconds} seconds.' },
  },
  CSRF_FAILED: {
    title: { zh: '请求来源无法验证', en: 'Request origin could not be verified' },
    detail: {
      zh: '请刷新页面后重试（缺少或错误的 X-CSRF-Token 请求头）。',
      en: 'Reload the page and try again (the X-CSRF-Token header is missing or wrong).',
    },
  },
  FORBIDDEN: {
    title: { zh: '无权操作', en: 'Not allowed' },
    detail: { zh: '您的角色不能执行此操作：{action}。', en: 'Your role may not do this: {action}.' },
  },
  CONFLICT: {
    title: { zh: '操作冲突', en: 'Conflict' },
    detail: { zh: '{reason}', en: '{reason}' },
  },
  RULE_VIOLATION: {
    title: { zh: '不符合组织规则', en: 'Not allowed by the organization rules' },
    detail: { zh: '{reason}', en: '{reason}' },
  },
  UNIT_CLOSED: {
    title: { zh: '组织已撤销', en: 'Unit is closed' },
    detail: { zh: '“{name}”已于 {closedOn} 撤销，不能再修改。', en: '"{name}" was closed on {closedOn} and can no longer be changed.' },
  },
  ACCOUNT_LOCKED: {
    title: { zh: '账号暂时锁定', en: 'Account temporarily locked' },
    detail: {
      zh: '密码连续输错次数过多，请在 {seconds} 秒后再试；如忘记密码请联系管理员。',
      en: 'Too many wrong passwords in a row; try again in {seconds} seconds, or ask an administrator if you forgot it.',
    },
  },
  IDEMPOTENCY_MISMATCH: {
    title: { zh: '重复的请求标识', en: 'Idempotency-Key already used' },
    detail: {
      zh: '这个 Idempotency-Key 已用于另一份不同的内容。重试时请原样发送，新的请求请换一个新的标识。',
      en: 'This Idempotency-Key was already used for a different request. Resend a retry unchanged, or use a new key for a new request.',
    },
  },
  UNSUPPORTED_PHOTO: {
    title: { zh: '图片格式不支持', en: 'Unsupported photo' },
    detail: {
      zh: '只接受 JPEG、PNG 或 WebP 图片（按文件内容判断），每张不超过 5 MB，每条记录最多 5 张。',
      en: 'Only JPEG, PNG or WebP images are accepted (judged by their content), up to 5 MB each and 5 per record.',
    },
  },
  INTERNAL: {
    title: { zh: '服务器内部错误', en: 'Internal server error' },
    detail: {
      zh: '服务器出了问题，已记录（请求编号 {requestId}）。请稍后再试。',
      en: 'Something went wrong on the server and was logged (request {requestId}). Please try again later.',
    },
  },
} satisfies Record<string, Message>;

export type MessageCode = keyof typeof messages;

/** A value that reads differently in each language, for params such as a reason. */
export type Bilingual = { zh: string; en: string };

export function format(template: string, params: Record<string, unknown>, locale: Locale): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = params[key];
    if (value && typeof value === 'object' && 'zh' in value && 'en' in value) {
      return (value as Bilingual)[locale === 'en' ? 'en' : 'zh'];
    }
    if (value === undefined) return `{${key}}`;
    if (typeof value === 'string') return value;
    return typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  });
}

export function translate(code: MessageCode, part: 'title' | 'detail', params: Record<string, unknown>, locale: Locale): string {
  const message: Message = messages[code];
  return format(message[part][locale === 'en' ? 'en' : 'zh'], params, locale);
}

export const entityNames: Record<string, Bilingual> = {
  org_unit: { zh: '组织', en: 'organization unit' },
  user: { zh: '用户', en: 'user' },
  platform: { zh: '平台', en: 'platform' },
  audit_entry: { zh: '审计记录', en: 'audit entry' },
  worker: { zh: '劳动者', en: 'worker' },
  member: { zh: '党员', en: 'member' },
  import_job: { zh: '导入任务', en: 'import job' },
  member_role: { zh: '党内职务', en: 'member role' },
  member_transfer: { zh: '组织关系转接', en: 'transfer of relation' },
  member_declaration: { zh: '党员身份申报', en: 'membership declaration' },
  appeal: { zh: '诉求', en: 'appeal' },
  appeal_photo: { zh: '诉求照片', en: 'appeal photo' },
  notification: { zh: '通知', en: 'notification' },
  station: { zh: '服务站点', en: 'station' },
  activity: { zh: '活动', en: 'activity' },
  volunteer_team: { zh: '志愿服务队', en: 'volunteer team' },
  vanguard_post: { zh: '先锋岗', en: 'vanguard post' },
  service_record: { zh: '志愿服务记录', en: 'service record' },
  deletion_request: { zh: '删除申请', en: 'deletion request' },
  role_grant: { zh: '角色授权', en: 'role grant' },
};
