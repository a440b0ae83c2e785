import { FileProtectOutlined, LockOutlined, SearchOutlined } from '@ant-design/icons';
import { Flex } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

/**
 * What a driver without an account can still do: file anonymously, follow an appeal by its code, or
 * follow a deletion request by its receipt. Shown under the login form and on the tracking page.
 */
export function PublicAppealLinks({ showTrack = true }: { showTrack?: boolean }) {
  const { t } = useTranslation();
  return (
    <Flex vertical align="center" gap={8} data-testid="public-appeal-links">
      <Link to="/report" data-testid="link-report">
        <LockOutlined /> {t('appeals.report.link')}
      </Link>
      {showTrack && (
        <Link to="/track" data-testid="link-track">
          <SearchOutlined /> {t('appeals.track.link')}
        </Link>
      )}
      <Link to="/privacy/receipt" data-testid="link-deletion-receipt">
        <FileProtectOutlined /> {t('privacy.receipt.link')}
      </Link>
    </Flex>
  );
}
