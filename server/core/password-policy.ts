// What a new password must be: long, not on the list of passwords people use most (the maintained
// list shipped with zxcvbn-ts, ~30,000 entries from real leaks), and not guessable from the account's
// own names. Checked where people choose passwords (the command line, "change my password"), not when
// demo or test accounts are written by code.
import { zxcvbn, zxcvbnOptions } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import type { Bilingual } from './i18n.js';

export const MIN_PASSWORD_LENGTH = 12;

zxcvbnOptions.setOptions({ dictionary: common.dictionary, graphs: common.adjacencyGraphs });
const commonPasswords = new Set((common.dictionary.passwords).map((p) => p.toLowerCase()));

/** Why a password will not do, in both languages; null when it is fine. */
export function passwordProblem(password: string, personal: readonly string[] = []): Bilingual | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    return { zh: `密码至少需要 ${MIN_PASSWORD_LENGTH} 个字符，可以用一句好记的话`, en: `A password needs at least ${MIN_PASSWORD_LENGTH} characters; a memorable phrase works well` };
  }
  if (commonPasswords.has(password.toLowerCase())) {
    return { zh: '这是最常被使用（也最常被猜中）的密码之一，请换一个', en: 'This is one of the most used (and most guessed) passwords; choose another' };
  }
  const lowered = password.toLowerCase();
  if (personal.some((word) => word.length >= 3 && lowered.includes(word.toLowerCase()))) {
    return { zh: '密码不能包含用户名或姓名', en: 'A password must not contain the username or name' };
  }
  if (zxcvbn(password, [...personal, 'convoy', 'tongxing']).score < 3) {
    return { zh: '密码太容易被猜到，请加长或换成不相关的几个词', en: 'This password is too easy to guess; make it longer or use a few unrelated words' };
  }
  return null;
}
