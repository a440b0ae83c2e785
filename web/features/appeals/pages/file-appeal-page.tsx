import { Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { AppealFilingForm } from '../components/appeal-filing-form';

/** /me/appeals/new: a logged-in worker files; platform and city come from their record. */
export function FileAppealPage() {
  const { t } = useTranslation();
  return (
    <AppealFilingForm
      testId="file-appeal-page"
      heading={
        <Flex justify="space-between" align="baseline">
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('appeals.file.title')}
          </Typography.Title>
          <Link to="/me/appeals">{t('appeals.mine.title')}</Link>
        </Flex>
      }
    />
  );
}
