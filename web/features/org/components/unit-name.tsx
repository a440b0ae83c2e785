import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OrgUnitSummary } from '../api';

/** A unit's name as shown in lists and the tree: closed units greyed and tagged. */
export function UnitName({ unit, showKind = false }: { unit: Pick<OrgUnitSummary, 'name' | 'kind' | 'closedOn'>; showKind?: boolean }) {
  const { t } = useTranslation();
  return (
    <span className={unit.closedOn ? 'convoy-closed' : undefined}>
      {unit.name}
      {showKind && (
        <Tag bordered={false} style={{ marginInlineStart: 6 }}>
          {t(`org.kind.${unit.kind}`)}
        </Tag>
      )}
      {unit.closedOn && (
        <Tag style={{ marginInlineStart: 6 }} data-testid="closed-tag">
          {t('org.closedTag')}
        </Tag>
      )}
    </span>
  );
}
