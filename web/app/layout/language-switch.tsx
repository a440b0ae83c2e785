import { GlobalOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSwitchLocale } from '../../features/auth/api';
import { useApiErrorReporter } from '../../lib/api-errors';
import { currentLocale } from '../../lib/i18n';

/** One button that offers the other language; with two languages a toggle is the shortest path. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const switchLocale = useSwitchLocale();
  const reportError = useApiErrorReporter();
  const next = currentLocale() === 'en' ? 'zh-CN' : 'en';
  return (
    <Button
      type="text"
      icon={<GlobalOutlined />}
      data-testid="language-switch"
      aria-label={t('language.label')}
      loading={switchLocale.isPending}
      onClick={() => switchLocale.mutate(next, { onError: (error) => reportError(error) })}
    >
      {t(`language.${next}`)}
    </Button>
  );
}
