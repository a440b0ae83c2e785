import { Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { AppealFilingForm } from '../components/appeal-filing-form';
import { PlaceFields } from '../components/place-fields';
import { PublicShell } from '../components/public-shell';

/**
 * /report: an anonymous appeal from someone without an account, or who does not want to log in. The
 * same form as a worker's, always anonymous, with platform and city asked since no record gives them;
 * afterwards the tracking code and secret link, kept on this phone as for any anonymous appeal.
 */
export function ReportPage() {
  const { t } = useTranslation();
  return (
    <PublicShell>
      <AppealFilingForm
        testId="report-page"
        alwaysAnonymous
        placeFields={<PlaceFields />}
        heading={
          <Flex vertical gap={4}>
            <Flex justify="space-between" align="baseline" gap={8} wrap>
              <Typography.Title level={4} style={{ margin: 0 }}>
                {t('appeals.report.title')}
              </Typography.Title>
              <Link to="/track">{t('appeals.track.link')}</Link>
            </Flex>
            <Typography.Text type="secondary">{t('appeals.report.intro')}</Typography.Text>
          </Flex>
        }
      />
    </PublicShell>
  );
}
