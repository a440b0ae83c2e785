import type { OrgUnitDetail } from '../../api';

export type UnitActionProps = {
  unit: OrgUnitDetail;
  open: boolean;
  onClose: () => void;
  /** Called with the unit to show next (the changed unit, the new one, or the merge target). */
  onDone: (unit: OrgUnitDetail) => void;
};
