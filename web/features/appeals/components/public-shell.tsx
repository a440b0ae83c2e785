import { Flex, theme } from 'antd';
import type { ReactNode } from 'react';
import { AppBrand } from '../../../app/layout/app-brand';
import { LanguageSwitch } from '../../../app/layout/language-switch';

/** The frame of pages anyone may open without an account: following an anonymous appeal. */
export function PublicShell({ children }: { children: ReactNode }) {
  const { token } = theme.useToken();
  return (
    <Flex vertical style={{ minHeight: '100vh', background: token.colorBgLayout }}>
      <Flex
        align="center"
        justify="space-between"
        style={{ padding: '8px 12px', background: token.colorBgContainer, borderBottom: `1px solid ${token.colorBorderSecondary}` }}
      >
        <AppBrand compact />
        <LanguageSwitch />
      </Flex>
      <Flex vertical gap={12} style={{ width: '100%', maxWidth: 480, margin: '0 auto', padding: 12, boxSizing: 'border-box' }}>
        {children}
      </Flex>
    </Flex>
  );
}
