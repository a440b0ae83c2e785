import { Button, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { hasRole, type Role, useMe } from '../../auth/api';
import { useRootUnits, useUnitDetail } from '../../org/api';
import { UnitPicker } from '../../org/components/unit-picker';

function unitIdOf(params: URLSearchParams): number | null {
  const parsed = Number(params.get('unitId'));
  return Number.isInteger(parsed) && parsed > 0 ? parsed : null;
}

/**
 * Which unit a figures page looks at: the address (so a link or a reload keeps it), else the first unit
 * the user holds one of `roles` on. A system admin holds no unit: with `allowAll` they see everything
 * (null), otherwise the first top unit, since some answers (deadlines) belong to one unit.
 */
export function useScopeUnitId(roles: readonly Role[], allowAll: boolean): [number | null, (id: number | null) => void] {
  const [params, setParams] = useSearchParams();
  const me = useMe().data;
  const granted = me?.grants.find((g) => g.unitId !== null && roles.includes(g.role))?.unitId ?? null;
  const needsRoot = granted === null && !allowAll;
  const roots = useRootUnits(false);
  const fallback = granted ?? (needsRoot ? (roots.data?.[0]?.id ?? null) : null);
  const fromUrl = unitIdOf(params);
  return [
    fromUrl ?? fallback,
    (id) => {
      // Other parameters of the page (the period) stay as they are.
      const next = new URLSearchParams(params);
      if (id === null) next.delete('unitId');
      else next.set('unitId', String(id));
      setParams(next, { replace: true });
    },
  ];
}

type Props = {
  unitId: number | null;
  onChange: (id: number | null) => void;
  /** A system admin may look at everything at once. */
  allowAll?: boolean;
};

/** The unit picker above a figures page, with the unit in force named beside it (its subtree counts). */
export function UnitScopeBar({ unitId, onChange, allowAll = false }: Props) {
  const { t } = useTranslation();
  const unit = useUnitDetail(unitId);
  const me = useMe().data;
  const everything = allowAll && hasRole(me, 'system_admin');
  return (
    <Flex wrap gap={8} align="center">
      <Typography.Text>{t('appeals.scope.unit')}</Typography.Text>
      <div style={{ width: 280 }}>
        <UnitPicker value={undefined} onChange={(id) => id !== undefined && onChange(id)} />
      </div>
      <Typography.Text strong data-testid="scope-unit">
        {unitId === null ? t('appeals.scope.everything') : t('appeals.scope.subtree', { name: unit.data?.name ?? `#${unitId}` })}
      </Typography.Text>
      {everything && unitId !== null && (
        <Button type="link" onClick={() => onChange(null)} data-testid="scope-everything">
          {t('appeals.scope.showEverything')}
        </Button>
      )}
    </Flex>
  );
}
