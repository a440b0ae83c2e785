import { EnvironmentOutlined } from '@ant-design/icons';
import { Button, Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

/** On the worker's own page: the nearest station to rest, drink or charge, one tap away. */
export function NearbyStationsEntry() {
  const { t } = useTranslation();
  return (
    <Card data-testid="my-stations-entry">
      <Link to="/me/stations" data-testid="my-stations-link">
        <Button block icon={<EnvironmentOutlined />} style={{ height: 48, fontSize: 16 }}>
          {t('stations.nearby.entry')}
        </Button>
      </Link>
    </Card>
  );
}
