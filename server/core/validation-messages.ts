import type { Bilingual } from './i18n.js';

type IssueLike = { keyword: string; message?: string; params?: Record<string, unknown> };

// zod explains a failed check in English only; a driver or a branch secretary reading Chinese needs
// the same reason in Chinese, so the common issue kinds are said again here in both languages.
export function describeIssue(issue: IssueLike): Bilingual {
  const p = issue.params ?? {};
  const origin = p.origin as string | undefined;
  const isText = origin === 'string';
  const isList = origin === 'array' || origin === 'set';
  switch (issue.keyword) {
    case 'invalid_type':
      if (p.input === undefined) return { zh: '必填', en: 'is required' };
      return { zh: `类型应为 ${String(p.expected)}`, en: `should be of type ${String(p.expected)}` };
    case 'too_small': {
      const min = String(p.minimum);
      if (isText) return min === '1' ? { zh: '不能为空', en: 'must not be empty' } : { zh: `至少 ${min} 个字符`, en: `must have at least ${min} characters` };
      if (isList) return { zh: `至少 ${min} 项`, en: `must have at least ${min} items` };
      return { zh: `不能小于 ${min}`, en: `must be at least ${min}` };
    }
    case 'too_big': {
      const max = String(p.maximum);
      if (isText) return { zh: `最多 ${max} 个字符`, en: `must have at most ${max} characters` };
      if (isList) return { zh: `最多 ${max} 项`, en: `must have at most ${max} items` };
      return { zh: `不能大于 ${max}`, en: `must be at most ${max}` };
    }
    case 'unrecognized_keys': {
      const keys = ((p.keys as string[] | undefined) ?? []).join(', ');
      return { zh: `不认识的字段：${keys}`, en: `unknown field(s): ${keys}` };
    }
    case 'invalid_value': {
      const values = ((p.values as unknown[] | undefined) ?? []).map(String).join(', ');
      return { zh: `应为以下之一：${values}`, en: `must be one of: ${values}` };
    }
    case 'invalid_format':
      return { zh: `格式不正确（${String(p.format)}）`, en: `has the wrong format (${String(p.format)})` };
    case 'forbidden_character': {
      // Said plainly: most people never typed such a character and need to know it came from a copy and paste.
      if (p.character === 'nul') return { zh: '含有不允许的空字符（NUL，U+0000）', en: 'contains a NUL character (U+0000), which is not allowed' };
      if (p.character === 'surrogate') return { zh: '含有无效的 Unicode 字符（不成对的代理项）', en: 'contains invalid Unicode (an unpaired surrogate)' };
      return { zh: '含有不允许的控制字符（只允许制表符和换行）', en: 'contains a control character (only tabs and line breaks are allowed)' };
    }
    case 'not_multiple_of':
      return { zh: `应为 ${String(p.divisor)} 的倍数`, en: `must be a multiple of ${String(p.divisor)}` };
    default:
      return { zh: issue.message ?? '无效', en: issue.message ?? 'is not valid' };
  }
}
