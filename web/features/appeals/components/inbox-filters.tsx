import { Checkbox, Flex, Select, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useUnitDetail } from '../../org/api';
import { UnitPicker } from '../../org/components/unit-picker';
import { APPEAL_LEVELS, APPEAL_STATUSES, type AppealCategory, type AppealLevel, type InboxFilters, useAppealCategories } from '../api';

type Props = { filters: InboxFilters; onChange: (patch: Partial<InboxFilters>) => void };

type StatusFilter = NonNullable<InboxFilters['status']>;

/** The inbox filters: a unit's subtree, category, status (open, closed or one), level, overdue, mine. */
export function InboxFilterBar({ filters, onChange }: Props) {
  const { t, i18n } = useTranslation();
  const categories = useAppealCategories().data ?? [];
  const unit = useUnitDetail(filters.unitId ?? null);
  const english = i18n.language === 'en';
  // Typing narrows each list by the names shown, in either language.
  const byLabel = { optionFilterProp: 'label' } as const;

  return (
    <Flex vertical gap={8} style={{ marginBottom: 12 }}>
      <Flex wrap gap={8} align="center">
        {/* The picker searches units by name; the tag beside it shows which subtree is in force. */}
        <div style={{ width: 260 }}>
          <UnitPicker value={undefined} onChange={(id) => onChange({ unitId: id })} />
        </div>
        <Select<AppealCategory>
          allowClear
          showSearch={byLabel}
          value={filters.category}
          onChange={(category) => onChange({ category })}
          placeholder={t('appeals.filter.allCategories')}
          options={categories.map((c) => ({ value: c.code, label: english ? c.nameEn : c.nameZh }))}
          style={{ width: 180 }}
          data-testid="inbox-filter-category"
        />
        <Select<StatusFilter>
          allowClear
          showSearch={byLabel}
          value={filters.status}
          onChange={(status) => onChange({ status })}
          placeholder={t('appeals.filter.allStatuses')}
          options={[
            { value: 'open', label: t('appeals.filter.open') },
            { value: 'closed', label: t('appeals.filter.closed') },
            ...APPEAL_STATUSES.map((s) => ({ value: s, label: t(`appeals.status.${s}`) })),
          ]}
          style={{ width: 160 }}
          data-testid="inbox-filter-status"
        />
        <Select<AppealLevel>
          allowClear
          showSearch={byLabel}
          value={filters.level}
          onChange={(level) => onChange({ level })}
          placeholder={t('appeals.filter.allLevels')}
          options={APPEAL_LEVELS.map((l) => ({ value: l, label: t(`appeals.level.${l}`) }))}
          style={{ width: 150 }}
          data-testid="inbox-filter-level"
        />
        <Checkbox checked={filters.overdue ?? false} onChange={(e) => onChange({ overdue: e.target.checked || undefined })} data-testid="inbox-filter-overdue">
          {t('appeals.filter.overdue')}
        </Checkbox>
        <Checkbox checked={filters.assignedToMe ?? false} onChange={(e) => onChange({ assignedToMe: e.target.checked || undefined })} data-testid="inbox-filter-mine">
          {t('appeals.filter.assignedToMe')}
        </Checkbox>
      </Flex>
      {filters.unitId !== undefined && (
        <Tag closable onClose={() => onChange({ unitId: undefined })} style={{ alignSelf: 'flex-start' }} data-testid="inbox-unit-filter">
          {t('appeals.filter.unit', { name: unit.data?.name ?? `#${filters.unitId}` })}
        </Tag>
      )}
    </Flex>
  );
}
