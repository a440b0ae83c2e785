import { CalendarOutlined } from '@ant-design/icons';
import { Button, Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

/** On the worker's own page (/me): the way to activities near them and their own. */
export function MyActivitiesEntry() {
  const { t } = useTranslation();
  return (
    <Card data-testid="my-activities-entry">
      <Link to="/me/activities" data-testid="my-activities-link">
        <Button block icon={<CalendarOutlined />} style={{ height: 48, fontSize: 16 }}>
          {t('activities.entry.mine')}
        </Button>
      </Link>
    </Card>
  );
}

/** From a station's page: the activities held there that the worker may join. */
export function StationActivitiesLink({ stationId }: { stationId: number }) {
  const { t } = useTranslation();
  return (
    <Link to={`/me/activities?stationId=${stationId}`} data-testid="station-activities-link">
      <Button block icon={<CalendarOutlined />}>
        {t('activities.entry.atStation')}
      </Button>
    </Link>
  );
}
