import { Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { useMe } from '../../auth/api';
import { isVolunteerStaff } from '../api';

const SECTIONS = ['teams', 'queue', 'posts', 'hours', 'grid'] as const;
type Section = (typeof SECTIONS)[number];

const pathOf = (section: Section) => (section === 'teams' ? '/volunteers' : `/volunteers/${section}`);

function sectionOf(pathname: string): Section {
  const part = pathname.split('/')[2];
  return SECTIONS.find((s) => s === part) ?? 'teams';
}

/** The volunteering pages of staff and team leaders, one tab each; grid roles name workers, so staff only. */
export function VolunteersTabs() {
  const { t } = useTranslation();
  const me = useMe().data;
  const location = useLocation();
  const navigate = useNavigate();
  const shown = SECTIONS.filter((s) => s !== 'grid' || isVolunteerStaff(me));
  return (
    <Tabs
      activeKey={sectionOf(location.pathname)}
      onChange={(key) => void navigate(pathOf(key as Section))}
      items={shown.map((s) => ({ key: s, label: <span data-testid={`volunteers-tab-${s}`}>{t(`volunteers.tabs.${s}`)}</span> }))}
      style={{ marginBottom: 0 }}
    />
  );
}
