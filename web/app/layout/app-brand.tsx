import { Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

/** 同行 Convoy: the name in the current language first, the other beside it. */
export function AppBrand({ compact = false }: { compact?: boolean }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  return (
    <Link to="/" style={{ display: 'flex', alignItems: 'baseline', gap: 6, whiteSpace: 'nowrap' }}>
      <Typography.Text strong style={{ fontSize: compact ? 18 : 20, color: token.colorPrimary }}>
        {t('app.name')}
      </Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 14 }}>
        {t('app.nameLatin')}
      </Typography.Text>
    </Link>
  );
}
