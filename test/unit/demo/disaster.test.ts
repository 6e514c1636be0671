import { compareItems } from '../../../demo/disaster';
import { demoItems } from '../../../demo/items';

const byId = (items: ReturnType<typeof demoItems>) => new Map(items.map((i) => [i.ID.S as string, i]));

describe('compareItems', () => {
  it('counts every item identical when the restore holds exactly what was written', () => {
    const items = demoItems(5);
    expect(compareItems(items, byId(demoItems(5)), 'ID')).toEqual({ expected: 5, found: 5, matching: 5, problems: [] });
  });

  it('names a missing item by key', () => {
    const items = demoItems(5);
    const found = byId(demoItems(5));
    found.delete('3');
    expect(compareItems(items, found, 'ID').problems).toEqual(['ID=3: missing']);
  });

  it('names the differing attribute of a changed item', () => {
    const items = demoItems(2);
    const found = byId(demoItems(2));
    found.set('2', { ...found.get('2')!, Role: { S: 'Intern' } });
    expect(compareItems(items, found, 'ID').problems).toEqual(['ID=2: differs in Role']);
  });

  it('reports items the demo never wrote', () => {
    const found = byId(demoItems(3));
    expect(compareItems(demoItems(2), found, 'ID').problems).toEqual(['ID=3: not written by the demo']);
  });
});
