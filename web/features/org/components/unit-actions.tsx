import { DeleteOutlined, DragOutlined, EditOutlined, MergeCellsOutlined, PlusOutlined, SplitCellsOutlined } from '@ant-design/icons';
import { Button, Flex, Typography } from 'antd';
import { type ComponentType, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgUnitDetail } from '../api';
import { CloseUnitModal } from './actions/close-unit-modal';
import { CreateUnitModal } from './actions/create-unit-modal';
import { EditUnitModal } from './actions/edit-unit-modal';
import { MergeUnitModal } from './actions/merge-unit-modal';
import { MoveUnitModal } from './actions/move-unit-modal';
import { SplitUnitModal } from './actions/split-unit-modal';
import type { UnitActionProps } from './actions/unit-action-props';

type ActionName = 'create' | 'edit' | 'move' | 'merge' | 'split' | 'close';

const ACTIONS: { name: ActionName; icon: ComponentType; Modal: ComponentType<UnitActionProps>; danger?: boolean }[] = [
  { name: 'create', icon: PlusOutlined, Modal: CreateUnitModal },
  { name: 'edit', icon: EditOutlined, Modal: EditUnitModal },
  { name: 'move', icon: DragOutlined, Modal: MoveUnitModal },
  { name: 'merge', icon: MergeCellsOutlined, Modal: MergeUnitModal },
  { name: 'split', icon: SplitCellsOutlined, Modal: SplitUnitModal },
  { name: 'close', icon: DeleteOutlined, Modal: CloseUnitModal, danger: true },
];

/** Only the offer to create needs hiding; other refusals (scope, open children) come from the server with a reason. */
const isAvailable = (action: ActionName, unit: OrgUnitDetail) => action !== 'create' || unit.allowedChildKinds.length > 0;

export function UnitActions({ unit, onDone }: { unit: OrgUnitDetail; onDone: (unit: OrgUnitDetail) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<ActionName | null>(null);

  if (unit.closedOn) return <Typography.Paragraph type="secondary">{t('org.action.closedNoActions')}</Typography.Paragraph>;

  return (
    <>
      <Flex wrap gap={8}>
        {ACTIONS.filter(({ name }) => isAvailable(name, unit)).map(({ name, icon: Icon, danger }) => (
          <Button
            key={name}
            icon={<Icon />}
            type={name === 'create' ? 'primary' : 'default'}
            danger={danger}
            onClick={() => setOpen(name)}
            data-testid={`org-action-${name}`}
          >
            {t(`org.action.${name}`)}
          </Button>
        ))}
      </Flex>
      {ACTIONS.map(({ name, Modal }) =>
        open === name ? (
          <Modal
            key={`${name}-${unit.id}`}
            unit={unit}
            open
            onClose={() => setOpen(null)}
            onDone={(next) => {
              setOpen(null);
              onDone(next);
            }}
          />
        ) : null,
      )}
    </>
  );
}
