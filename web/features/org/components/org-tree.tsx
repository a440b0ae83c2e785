import { useQueries, useQueryClient } from '@tanstack/react-query';
import { Empty, Spin, Tree, type TreeDataNode } from 'antd';
import { type Key, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { childrenQuery, type OrgUnitSummary, useRootUnits } from '../api';
import { UnitName } from './unit-name';

type Props = {
  selectedId: number | null;
  /** The selected unit's ancestors and itself, root first: opened so the selection and its children show. */
  pathToSelected: number[];
  includeClosed: boolean;
  onSelect: (id: number) => void;
};

function union(current: number[], extra: number[]): number[] {
  const missing = extra.filter((id) => !current.includes(id));
  return missing.length > 0 ? [...current, ...missing] : current;
}

/**
 * The units the user can reach, loaded one level at a time. Each opened level is a live query,
 * so refreshing org queries after a change redraws the whole visible tree.
 */
export function OrgTree({ selectedId, pathToSelected, includeClosed, onSelect }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const roots = useRootUnits(includeClosed);
  const [expanded, setExpanded] = useState<number[]>([]);
  const [loadedParents, setLoadedParents] = useState<number[]>([]);

  const childLists = useQueries({
    queries: loadedParents.map((parentId) => childrenQuery(parentId, includeClosed)),
  });

  // Open the chain down to the selection, starting at whichever ancestor is one of our roots
  // (an org admin's roots sit below units outside their scope).
  useEffect(() => {
    const rootIds = roots.data?.map((unit) => unit.id) ?? [];
    const start = pathToSelected.findIndex((id) => rootIds.includes(id));
    if (start < 0) return;
    const chain = pathToSelected.slice(start);
    setLoadedParents((current) => union(current, chain));
    setExpanded((current) => union(current, chain));
  }, [pathToSelected, roots.data]);

  const treeData = useMemo(() => {
    const childrenOf = new Map<number, OrgUnitSummary[]>();
    loadedParents.forEach((parentId, index) => {
      const list = childLists[index]?.data;
      if (list) childrenOf.set(parentId, list);
    });
    const toNode = (unit: OrgUnitSummary): TreeDataNode => {
      const children = childrenOf.get(unit.id);
      return {
        key: unit.id,
        title: (
          <span data-testid={`org-tree-node-${unit.id}`}>
            <UnitName unit={unit} />
          </span>
        ),
        isLeaf: children ? children.length === 0 : unit.childCount === 0,
        children: children?.map(toNode),
      };
    };
    return (roots.data ?? []).map(toNode);
  }, [roots.data, loadedParents, childLists]);

  if (roots.isPending) return <Spin />;
  if (roots.isError) return <Empty description={t('errors.loadFailed')} />;
  if (treeData.length === 0) return <Empty description={t('org.noUnits')} />;

  return (
    <div data-testid="org-tree" aria-label={t('org.tree')}>
      <Tree
        blockNode
        showLine
        treeData={treeData}
        expandedKeys={expanded}
        // Loading is tracked by our own queries; tell the tree which levels it need not ask for.
        loadedKeys={loadedParents}
        selectedKeys={selectedId === null ? [] : [selectedId]}
        onExpand={(keys: Key[]) => setExpanded(keys.map(Number))}
        loadData={async (node) => {
          const id = Number(node.key);
          await queryClient.fetchQuery(childrenQuery(id, includeClosed));
          setLoadedParents((current) => union(current, [id]));
        }}
        onSelect={(keys: Key[]) => {
          const [key] = keys;
          if (key !== undefined) onSelect(Number(key));
        }}
      />
    </div>
  );
}
